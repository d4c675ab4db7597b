/**
 * Value-added services: a partner's own offers (catalog) and one-off charges (billing). Prices
 * are decimal strings in the publishing partner's currency; they never reach vendor invoices.
 */
/** The GraphQL enums catalog and subscription both serve on PartnerOffer (composition wants them alike): one definition. */
export const partnerOfferEnums = {
  chargeType: {
    name: 'PartnerOfferChargeType',
    values: ['MONTHLY', 'ONE_TIME'],
    description: 'MONTHLY: per unit and month, prorated by day. ONE_TIME: billed once, in the month ordered.',
  },
  fulfilment: {
    name: 'PartnerOfferFulfilment',
    values: ['MANUAL', 'AUTOMATIC'],
    description:
      "MANUAL: the subscription waits in PENDING_FULFILMENT until its partner fulfils it. AUTOMATIC: active without the partner, moments after the order (once the partner's OWNER grant on it is in force).",
  },
} as const;
export type PartnerOfferChargeType = (typeof partnerOfferEnums.chargeType.values)[number];
export type PartnerOfferFulfilment = (typeof partnerOfferEnums.fulfilment.values)[number];

export interface PartnerOfferPrice {
  /** Exact decimal string in `currency`: per unit and month (MONTHLY) or per unit once (ONE_TIME). */
  unitPrice: string;
  currency: string;
  /** ISO 8601 instant from which this price applies (never before it was published). */
  effectiveFrom: string;
}

export interface PartnerOfferEvents {
  'partnerOffer.published': {
    offerId: string;
    /** The partner that owns and sells it: only its own customers see and order it. */
    publisherId: string;
    name: string;
    description?: string;
    chargeType: PartnerOfferChargeType;
    fulfilment: PartnerOfferFulfilment;
    /** An add-on: only orderable with, and ending with, a subscription of this vendor offer. */
    attachesToOfferId?: string;
    price: PartnerOfferPrice;
  };
  /** A new price from `price.effectiveFrom` on; earlier days keep the price they had. */
  'partnerOffer.priceChanged': { offerId: string; publisherId: string; price: PartnerOfferPrice };
  /** No new orders from `at` on; existing subscriptions run on. */
  'partnerOffer.retired': { offerId: string; publisherId: string; at: string };
  /** The partner marked a MANUAL partner offer's subscription fulfilled (it is ACTIVE from `at`). */
  'subscription.fulfilled': { subscriptionId: string; customerId: string; partnerId: string; offerId: string; note?: string; fulfilledBy: string; at: string };
  /** A one-off charge on a customer, billed on its next invoice from `partnerId`. */
  'customerCharge.added': { chargeId: string; partnerId: string; customerId: string; description: string; amount: string; currency: string; at: string };
}
