import { DecimalScalar, Money, graphqlEnum, type EnumValue, payload } from '@csp/kernel';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { PartnerOfferDoc } from '../partner-offers/partner-offer.model';
import type { OfferDoc } from './offer.model';

export const OfferFamily = graphqlEnum('OfferFamily', ['AZURE', 'OFFICE_365', 'DYNAMICS_365', 'THIRD_PARTY'], {
  description: 'Product family of an offer.',
});
export type OfferFamily = EnumValue<typeof OfferFamily>;

export const BillingType = graphqlEnum('BillingType', ['USAGE', 'LICENSE', 'PARTNER'], {
  description: "USAGE: pay as you go, priced by the rate card. LICENSE: per seat and month, priced per market. PARTNER: a partner's own offer (see PartnerOffer), billed only by that partner.",
});
export type BillingType = EnumValue<typeof BillingType>;

@ObjectType({ description: 'From this instant on the offer can be listed and ordered in the market.' })
export class OfferAvailability {
  @Field({ description: 'Market code' }) market!: string;
  @Field() availableFrom!: Date;
}

@ObjectType({ description: "A LICENSE offer's monthly price per seat in one market." })
export class OfferPrice {
  @Field({ description: 'Market code' }) market!: string;
  @Field(() => Money) unitPrice!: Money;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'Something partners can sell: an Azure plan, a license, a third-party product.' })
export class Offer {
  @Field(() => ID) id!: string;
  // Shared with subscription, which lists orderable offers from its own copy of the catalog.
  @Directive('@shareable') @Field() name!: string;
  @Field(() => OfferFamily) family!: OfferFamily;
  @Field(() => BillingType) billingType!: BillingType;
  @Field(() => Int, { description: 'Fewest seats (units) per subscription.' }) minQuantity!: number;
  @Field(() => Int, { description: 'Most seats (units) per subscription.' }) maxQuantity!: number;
  @Field(() => [OfferPrice], { description: 'LICENSE offers: the price in each market it is priced in; USAGE: empty.' })
  prices!: OfferPrice[];
  @Field(() => [OfferAvailability], { description: 'Markets and the dates from which the offer is available there (also future ones).' })
  availableIn!: OfferAvailability[];
  /** Resolvers need the raw map for unitPrice. */
  doc!: OfferDoc;
}

export function toOffer(doc: OfferDoc): Offer {
  return Object.assign(new Offer(), {
    id: doc._id,
    name: doc.name,
    family: doc.family,
    billingType: doc.billingType,
    minQuantity: doc.minQuantity,
    maxQuantity: doc.maxQuantity,
    prices: doc.prices.map((p) => Object.assign(new OfferPrice(), { market: p.market, unitPrice: Money.of(p.unitPrice, p.currency) })),
    availableIn: availabilityList(doc.availability).map((a) => Object.assign(new OfferAvailability(), { market: a.market, availableFrom: new Date(a.availableFrom) })),
    doc,
  });
}

/**
 * A partner offer seen as an Offer, for subscriptions of partner offers (their `offer` field):
 * family THIRD_PARTY, billing type PARTNER, sold in no market of the vendor's.
 */
export function partnerOfferAsOffer(doc: PartnerOfferDoc): Offer {
  return Object.assign(new Offer(), {
    id: doc._id,
    name: doc.name,
    family: OfferFamily.THIRD_PARTY,
    billingType: BillingType.PARTNER,
    minQuantity: 1,
    maxQuantity: 1_000_000,
    prices: [],
    availableIn: [],
    doc: { _id: doc._id, name: doc.name, family: 'THIRD_PARTY', billingType: 'LICENSE', minQuantity: 1, maxQuantity: 1_000_000, prices: [], availability: {}, revision: 1, publishedAt: doc.publishedAt, outbox: [] },
  });
}

/** The availability map as a list sorted by market (the shape of the event and the graph). */
export function availabilityList(map: Record<string, Date>): Array<{ market: string; availableFrom: string }> {
  return Object.entries(map ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([market, from]) => ({ market, availableFrom: new Date(from).toISOString() }));
}

@InputType()
export class OfferPriceInput {
  @Field({ description: 'Market code' }) market!: string;
  @Field(() => DecimalScalar, { description: 'Monthly price per seat in the market currency, e.g. "23.00".' }) unitPrice!: string;
}

@InputType({ description: 'A new offer. LICENSE offers carry a price per market; USAGE offers are priced by the rate card.' })
export class PublishOfferInput {
  @Field() name!: string;
  @Field(() => OfferFamily) family!: OfferFamily;
  @Field(() => BillingType) billingType!: BillingType;
  @Field(() => Int, { nullable: true, description: 'Default 1.' }) minQuantity?: number;
  @Field(() => Int, { nullable: true, description: 'Default: minQuantity for USAGE offers, 300 for LICENSE offers.' }) maxQuantity?: number;
  @Field(() => [OfferPriceInput], { nullable: true }) prices?: OfferPriceInput[];
}

export const PublishOfferPayload = payload('PublishOfferPayload', 'offer', Offer);
export type PublishOfferPayload = InstanceType<typeof PublishOfferPayload>;
export const SetOfferAvailabilityPayload = payload('SetOfferAvailabilityPayload', 'offer', Offer);
export type SetOfferAvailabilityPayload = InstanceType<typeof SetOfferAvailabilityPayload>;
export const SetOfferPricesPayload = payload('SetOfferPricesPayload', 'offer', Offer);
export type SetOfferPricesPayload = InstanceType<typeof SetOfferPricesPayload>;
