import type { BillingType, OfferFamily } from '@csp/events';
import { changesCache, outboxField, type Envelope, docSchema, modelOn, required } from '@csp/kernel';
import { Schema, type Connection, type Model } from 'mongoose';

export interface OfferPriceDoc {
  market: string;
  currency: string;
  /** Exact decimal string in the market's currency, as published. */
  unitPrice: string;
}

export interface OfferDoc {
  _id: string;
  name: string;
  family: OfferFamily;
  billingType: BillingType;
  minQuantity: number;
  maxQuantity: number;
  prices: OfferPriceDoc[];
  /**
   * Market code → available from. A map rather than an array so "available in K now" is one
   * indexable path (`availability.K <= now`): FerretDB v1 has no field-document $elemMatch.
   */
  availability: Record<string, Date>;
  revision: number;
  publishedAt: Date;
  outbox: Envelope[];
}

const priceSchema = new Schema<OfferPriceDoc>(
  { market: required(String), currency: required(String), unitPrice: required(String) },
  { _id: false },
);

const schema = docSchema<OfferDoc>({
  name: required(String),
  family: required(String, { index: true }),
  billingType: required(String),
  minQuantity: required(Number),
  maxQuantity: required(Number),
  prices: { type: [priceSchema], default: [] },
  availability: { type: Schema.Types.Mixed, default: {} },
  revision: required(Number),
  publishedAt: required(Date),
  outbox: outboxField(),
}, { minimize: false });

/** The cached value offers feed: every write drops every process's copy (deps.ts, loaders.ts). */
export const OFFERS = 'offers';
changesCache(schema, OFFERS);

export const offerModel = (conn: Connection): Model<OfferDoc> => modelOn<OfferDoc>(conn, 'Offer', schema, 'offers');
