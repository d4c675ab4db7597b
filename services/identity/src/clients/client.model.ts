import { Schema, type Connection, type Model } from 'mongoose';

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

const schema = new Schema<ClientDoc>(
  {
    _id: String,
    name: { type: String, required: true },
    secretHash: { type: String, required: true },
    scopes: { type: [String], default: [] },
    partnerId: String,
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const clientModel = (conn: Connection): Model<ClientDoc> =>
  (conn.models.MachineClient as Model<ClientDoc>) ?? conn.model<ClientDoc>('MachineClient', schema, 'machine_clients');
