import { DecimalScalar, Money, payload } from '@csp/kernel';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { TaxLine } from '../tax/tax.type';
import type { CreditNoteDoc } from './credit-note.model';

@InputType()
export class CreditNoteLineInput {
  @Field(() => ID, { description: 'InvoiceLineItem.id' }) lineId!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Net amount to credit (≤ what is left of the line); default: all of it.' }) amount?: string | null;
}

@InputType()
export class IssueCreditNoteInput {
  @Field(() => ID) invoiceId!: string;
  @Field() reason!: string;
  @Field(() => [CreditNoteLineInput], { nullable: true, description: 'Absent: the whole rest of the invoice.' }) lines?: CreditNoteLineInput[] | null;
  @Field({ description: 'The same key returns the same credit note.' }) idempotencyKey!: string;
}

@ObjectType({ description: 'One credited line (net, in the invoice currency).' })
export class CreditNoteLine {
  @Field(() => ID) lineId!: string;
  @Field() description!: string;
  @Field(() => DecimalScalar) amount!: string;
}

@ObjectType({ description: 'A correction of an issued invoice, numbered in its own sequence (CN-…). The invoice itself never changes.' })
export class CreditNote {
  @Field(() => ID) id!: string;
  @Field() number!: string;
  @Field() reason!: string;
  @Field() currency!: string;
  @Field(() => [CreditNoteLine]) lines!: CreditNoteLine[];
  @Field(() => [TaxLine]) taxLines!: TaxLine[];
  @Field(() => Money, { description: 'Σ lines.' }) subtotal!: Money;
  @Field(() => Money, { description: 'subtotal + Σ taxLines.' }) total!: Money;
  @Field() issuedAt!: Date;
  doc!: CreditNoteDoc;
}

export const IssueCreditNotePayload = payload('IssueCreditNotePayload', 'creditNote', CreditNote);
export type IssueCreditNotePayload = InstanceType<typeof IssueCreditNotePayload>;
