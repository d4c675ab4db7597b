import { projectionFields } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

/** A security group and its members, as identity last announced (group.membershipChanged). */
export interface GroupDoc {
  _id: string;
  ownerKind?: 'PARTNER' | 'CUSTOMER';
  ownerId?: string;
  memberIds?: string[];
  at?: Date;
}

const schema = new Schema<GroupDoc>(
  { _id: String, ownerKind: String, ownerId: String, memberIds: { type: [String], default: undefined }, ...projectionFields },
  { versionKey: false },
);
schema.index({ memberIds: 1 });

export const groupModel = (conn: Connection): Model<GroupDoc> =>
  (conn.models.Group as Model<GroupDoc>) ?? conn.model<GroupDoc>('Group', schema, 'groups');
