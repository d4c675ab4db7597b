import type { Connection, Model } from 'mongoose';
import { outboxField, type CallerKind, type Envelope, type StaffRole, docSchema, modelOn, required } from '@csp/kernel';

export type UserKind = Exclude<CallerKind, 'SERVICE'>;

export interface UserDoc {
  _id: string;
  /** Lower-cased; unique across the platform (one login per email). */
  email: string;
  passwordHash: string;
  kind: UserKind;
  partnerId?: string;
  customerId?: string;
  /** The first user of a partner or customer: may accept relationship requests and the like. */
  admin?: boolean;
  /**
   * The first admin of a tenant still being created: may not sign in until the tenant is complete
   * (a creation that died half-way is undone by the creation sweep, this user with it).
   */
  pendingTenant?: boolean;
  /**
   * Staff roles within its partner or tenant. Absent on users stored before roles existed: read
   * them through `staffRolesOfUser` (the first user, `admin`, is ADMIN; others the default).
   */
  roles?: StaffRole[];
  createdAt: Date;
  outbox: Envelope[];
}

const schema = docSchema<UserDoc>({
  email: required(String, { unique: true }),
  passwordHash: required(String),
  kind: required(String),
  partnerId: { type: String, index: true },
  customerId: { type: String, index: true },
  admin: { type: Boolean, default: false },
  pendingTenant: Boolean,
  roles: { type: [String], default: undefined },
  createdAt: required(Date),
  outbox: outboxField(),
});

export const userModel = (conn: Connection): Model<UserDoc> => modelOn<UserDoc>(conn, 'User', schema, 'users');
