import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { graphqlEnum, type StaffRole } from '@csp/kernel';
import type { UserKind } from './user.model';
import { staffRolesOfUser } from './staff-roles';

export const UserKindEnum = graphqlEnum('UserKind', ['OPERATOR', 'PARTNER_USER', 'CUSTOMER_USER'], {
  description: 'Vendor operator, partner user or customer user.',
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A person who signs in: the vendor operator, a partner user or a customer user.' })
export class User {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field(() => UserKindEnum) kind!: UserKind;
  @Field(() => [String], { description: 'Staff roles within its partner (ADMIN, ADMIN_AGENT, SALES_AGENT, HELPDESK_AGENT, BILLING_ADMIN) or tenant (ADMIN, BILLING_ADMIN, USER); [] for the operator.' })
  roles!: string[];
  partnerId?: string;
  customerId?: string;
}

export function toUser(doc: { _id: string; email: string; kind: UserKind; partnerId?: string; customerId?: string; admin?: boolean; roles?: StaffRole[] }): User {
  return Object.assign(new User(), { id: doc._id, email: doc.email, kind: doc.kind, roles: staffRolesOfUser(doc), partnerId: doc.partnerId, customerId: doc.customerId });
}
