import { Schema, type Connection, type Model } from 'mongoose';

export interface SigningKeyDoc {
  _id: string; // kid
  publicJwk: Record<string, unknown>;
  privateJwk: Record<string, unknown>;
  createdAt: Date;
}

const schema = new Schema<SigningKeyDoc>(
  { _id: String, publicJwk: Schema.Types.Mixed, privateJwk: Schema.Types.Mixed, createdAt: Date },
  { versionKey: false },
);

export const signingKeyModel = (conn: Connection): Model<SigningKeyDoc> =>
  (conn.models.SigningKey as Model<SigningKeyDoc>) ?? conn.model<SigningKeyDoc>('SigningKey', schema, 'signing_keys');
