import { docSchema, modelOn } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

export interface SigningKeyDoc {
  _id: string; // kid
  publicJwk: Record<string, unknown>;
  privateJwk: Record<string, unknown>;
  createdAt: Date;
}

const schema = docSchema<SigningKeyDoc>({ publicJwk: Schema.Types.Mixed, privateJwk: Schema.Types.Mixed, createdAt: Date });

export const signingKeyModel = (conn: Connection): Model<SigningKeyDoc> => modelOn<SigningKeyDoc>(conn, 'SigningKey', schema, 'signing_keys');
