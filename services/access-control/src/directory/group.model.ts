import { projectionFields, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** A security group and its members, as identity last announced (group.membershipChanged). */
export interface GroupDoc {
  _id: string;
  ownerKind?: 'PARTNER' | 'CUSTOMER';
  ownerId?: string;
  memberIds?: string[];
  at?: Date;
}

const schema = docSchema<GroupDoc>({ ownerKind: String, ownerId: String, memberIds: { type: [String], default: undefined }, ...projectionFields });
schema.index({ memberIds: 1 });

export const groupModel = (conn: Connection): Model<GroupDoc> => modelOn<GroupDoc>(conn, 'Group', schema, 'groups');
