import type { Connection, Model } from 'mongoose';
import { outboxField, type Envelope, docSchema, modelOn, required } from '@csp/kernel';

export type GroupOwnerKind = 'PARTNER' | 'CUSTOMER';

/** A security group of one partner's or one customer's users. */
export interface GroupDoc {
  _id: string;
  name: string;
  ownerKind: GroupOwnerKind;
  ownerId: string;
  memberIds: string[];
  createdAt: Date;
  outbox: Envelope[];
}

const schema = docSchema<GroupDoc>({
  name: required(String),
  ownerKind: required(String),
  ownerId: required(String),
  memberIds: { type: [String], index: true },
  createdAt: required(Date),
  outbox: outboxField(),
});
// One name per owner: two concurrent creates of "Helpdesk" make one group.
schema.index({ ownerId: 1, name: 1 }, { unique: true });

export const groupModel = (conn: Connection): Model<GroupDoc> => modelOn<GroupDoc>(conn, 'SecurityGroup', schema, 'security_groups');
