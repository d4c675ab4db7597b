import { Money, payload } from '@csp/kernel';
import { Field, Int, ObjectType } from 'type-graphql';
import { Invoice } from '../invoices/invoice.type';

export const RecordPaymentPayload = payload('RecordPaymentPayload', 'invoice', Invoice);
export type RecordPaymentPayload = InstanceType<typeof RecordPaymentPayload>;

@ObjectType({ description: 'Payment terms of one agreement: invoices are due this many days after issue.' })
export class PaymentTerms {
  @Field() billToId!: string;
  @Field(() => Int) netDays!: number;
}

@ObjectType({ description: 'What the caller is owed and owes in one currency, from issued invoices less payments and credit notes.' })
export class InvoiceSummary {
  @Field() currency!: string;
  @Field(() => Money, { description: 'Balance of invoices the caller issued.' }) receivable!: Money;
  @Field(() => Money, { description: 'Balance of invoices the caller received.' }) payable!: Money;
  @Field(() => Money, { description: 'The part of receivable and payable past its due date.' }) overdue!: Money;
  @Field(() => Money, { description: 'Overdue part of receivable.' }) overdueReceivable!: Money;
  @Field(() => Money, { description: 'Overdue part of payable.' }) overduePayable!: Money;
  @Field(() => Int, { description: 'Invoices in this currency the caller issued or received.' }) invoiceCount!: number;
}
