import { Money, MoneyInput, payload } from '@csp/kernel';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CustomerRef } from '../customers/customer.type';

import type { CustomerChargeDoc } from './customer-charge.model';

@ObjectType({ description: "A one-off charge a partner put on its customer: billed on the customer's next invoice from that partner." })
export class CustomerCharge {
  @Field(() => ID) id!: string;
  @Field() description!: string;
  @Field(() => Money) amount!: Money;
  @Field(() => CustomerRef) customer!: CustomerRef;
  @Field() createdAt!: Date;
  doc!: CustomerChargeDoc;
}

export const toCharge = (d: CustomerChargeDoc): CustomerCharge =>
  Object.assign(new CustomerCharge(), {
    id: d._id,
    description: d.description,
    amount: Money.of(d.amount, d.currency),
    customer: CustomerRef.of(d.customerId),
    createdAt: d.createdAt,
    doc: d,
  });

@InputType()
export class AddCustomerChargeInput {
  @Field(() => ID) customerId!: string;
  @Field({ description: 'What the customer sees on the invoice line, e.g. "Consulting, 4 hours".' }) description!: string;
  @Field(() => MoneyInput, { description: "In the partner's currency; positive." }) amount!: MoneyInput;
  @Field({ description: 'Unique per partner: the same key returns the same charge.' }) idempotencyKey!: string;
}

export const AddCustomerChargePayload = payload('AddCustomerChargePayload', 'charge', CustomerCharge);
export type AddCustomerChargePayload = InstanceType<typeof AddCustomerChargePayload>;

