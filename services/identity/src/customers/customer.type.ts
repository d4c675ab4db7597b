import { Connection } from '@csp/kernel';
import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { User } from '../users/user.type';
import type { CustomerDoc } from './customer.model';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A customer tenant.' })
export class Customer {
  @Field(() => ID) id!: string;
  @Field() companyName!: string;
  @Field({ description: 'Unique across the platform.' }) domain!: string;
  @Field({ description: 'ISO 3166-1 alpha-2' }) country!: string;
  @Field({ description: 'ISO 4217, agreed with the selling partner' }) currency!: string;
  @Field(() => String, { nullable: true, description: 'VAT number, when the customer gave one.' }) taxId?: string | null;
  partnerId!: string;
}

export const CustomerConnection = Connection(Customer);

export function toCustomer(doc: CustomerDoc): Customer {
  return Object.assign(new Customer(), {
    id: doc._id,
    companyName: doc.companyName,
    domain: doc.domain,
    country: doc.country,
    currency: doc.currency,
    taxId: doc.taxId ?? null,
    partnerId: doc.partnerId,
  });
}

@InputType()
export class CreateCustomerInput {
  @Field() companyName!: string;
  @Field({ description: 'Unique across the platform, e.g. contoso.example.' }) domain!: string;
  @Field({ description: "ISO 3166-1 alpha-2; must lie in the partner's market." }) country!: string;
  @Field(() => String, { nullable: true, description: "ISO 4217; defaults to the partner's currency." }) currency?: string | null;
  @Field(() => String, { nullable: true, description: 'VAT number (validated for shape against the country); billing uses it for reverse charge.' }) taxId?: string | null;
  @Field() adminEmail!: string;
  @Field({ description: 'At least 10 characters.' }) adminPassword!: string;
  @Field(() => ID, { nullable: true, description: 'Distributors: the actively linked reseller the customer is created for (else NOT_FOUND); others: FORBIDDEN.' })
  associatedResellerId?: string | null;
}

@ObjectType()
export class CreateCustomerPayload {
  @Field(() => Customer) customer!: Customer;
  @Field(() => User) adminUser!: User;
}
