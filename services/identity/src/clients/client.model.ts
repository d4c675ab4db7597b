import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** A machine client (a partner's integration, the vendor's usage connector). */
export interface ClientDoc {
  _id: string; // client id
  name: string;
  /** scrypt hash of the secret, like a password. */
  secretHash: string;
  scopes: string[];
  /** Set for a partner's integration: its tokens act for that partner. */
  partnerId?: string;
  createdBy: string;
  createdAt: Date;
}

const schema = docSchema<ClientDoc>({
  name: required(String),
  secretHash: required(String),
  scopes: { type: [String], default: [] },
  partnerId: String,
  createdBy: required(String),
  createdAt: required(Date),
});

export const clientModel = (conn: Connection): Model<ClientDoc> => modelOn<ClientDoc>(conn, 'MachineClient', schema, 'machine_clients');
