import { chargeRun } from '../src/charges/charge-run';
import { formatMoney, roundMoney } from '../src/money/decimal';
import { PartnerOfferBook, ratePartnerOffer } from '../src/rating/partner-offer-rating';
import type { FactType, SubFactDoc } from '../src/subscriptions/sub-fact.model';
import { subView } from '../src/subscriptions/timeline';

/** Rating a partner's own offers: pure functions over facts and prices, no stores involved. */
const OFFER = 'pof_ops';
const ONCE = 'pof_fee';

const book = (prices: Array<[string, string]>, chargeType: 'MONTHLY' | 'ONE_TIME' = 'MONTHLY', id = OFFER) =>
  new PartnerOfferBook(
    [{ _id: id, publisherId: 'ptn_a', name: 'Managed ops', chargeType }],
    prices.map(([unitPrice, from], i) => ({ _id: `${id}|${i}`, offerId: id, unitPrice, currency: 'EUR', effectiveFrom: new Date(from) })),
  );

function sub(facts: Array<[FactType, string, number?]>, offerId = OFFER) {
  return subView(
    facts.map(([type, at, quantity = 2], i) => ({
      _id: `f${i}`,
      subscriptionId: 'sub_1',
      type,
      at: new Date(at),
      customerId: 'cus_1',
      partnerId: 'ptn_a',
      offerId,
      billingType: 'PARTNER',
      quantity,
      market: 'DE',
    })) as SubFactDoc[],
  );
}

const amounts = (lines: ReturnType<typeof ratePartnerOffer>) =>
  lines.map((l) => [l.chargeType, l.usageFrom, l.usageTo, l.quantity.toFixed(), l.unitPrice.toFixed(), formatMoney(roundMoney(l.quantity.times(l.unitPrice).times(l.share), l.currency), l.currency)]);

describe('MONTHLY partner offers', () => {
  it('are charged per unit from the fulfilment day, prorated by day', () => {
    const s = sub([
      ['created', '2026-11-10T09:00:00Z'],
      ['activated', '2026-11-12T10:00:00Z'],
    ]);
    expect(amounts(ratePartnerOffer(s, '2026-11', book([['50.00', '2026-11-01T00:00:00Z']])))).toEqual([['PARTNER_MONTHLY', '2026-11-12', '2026-11-30', '2', '50', '63.33']]);
    // Nothing while waiting for fulfilment.
    expect(ratePartnerOffer(sub([['created', '2026-11-10T09:00:00Z']]), '2026-11', book([['50.00', '2026-11-01T00:00:00Z']]))).toEqual([]);
  });

  it('split where a price change takes effect; days before it keep their price', () => {
    const s = sub([
      ['created', '2026-11-01T00:00:00Z'],
      ['activated', '2026-11-01T00:00:00Z'],
    ]);
    const b = book([
      ['50.00', '2026-10-01T00:00:00Z'],
      ['55.00', '2026-11-21T00:00:00Z'],
    ]);
    expect(amounts(ratePartnerOffer(s, '2026-11', b))).toEqual([
      ['PARTNER_MONTHLY', '2026-11-01', '2026-11-20', '2', '50', '66.67'],
      ['PARTNER_MONTHLY', '2026-11-21', '2026-11-30', '2', '55', '36.67'],
    ]);
    // October, before the change, is untouched by it.
    const oct = sub([
      ['created', '2026-10-01T00:00:00Z'],
      ['activated', '2026-10-01T00:00:00Z'],
    ]);
    expect(amounts(ratePartnerOffer(oct, '2026-10', b))).toEqual([['PARTNER_MONTHLY', '2026-10-01', '2026-10-31', '2', '50', '100.00']]);
  });

  it('follow quantity changes, suspension and cancellation like licences', () => {
    const s = sub([
      ['created', '2026-11-01T00:00:00Z'],
      ['activated', '2026-11-01T00:00:00Z'],
      ['quantityChanged', '2026-11-11T08:00:00Z', 5],
      ['suspended', '2026-11-16T08:00:00Z', 5],
      ['reactivated', '2026-11-21T08:00:00Z', 5],
      ['cancelled', '2026-11-26T08:00:00Z', 5],
    ]);
    expect(amounts(ratePartnerOffer(s, '2026-11', book([['30.00', '2026-01-01T00:00:00Z']])))).toEqual([
      ['PARTNER_MONTHLY', '2026-11-01', '2026-11-10', '2', '30', '20.00'],
      ['PARTNER_MONTHLY', '2026-11-11', '2026-11-15', '5', '30', '25.00'],
      ['PARTNER_MONTHLY', '2026-11-21', '2026-11-25', '5', '30', '25.00'],
    ]);
  });
});

describe('ONE_TIME partner offers', () => {
  const b = book([['200.00', '2026-01-01T00:00:00Z']], 'ONE_TIME', ONCE);
  it('are billed once, in the month ordered, at the price then', () => {
    const s = sub([['created', '2026-11-10T09:00:00Z', 1], ['activated', '2026-11-10T09:00:00Z', 1]], ONCE);
    expect(amounts(ratePartnerOffer(s, '2026-11', b))).toEqual([['PARTNER_ONE_TIME', '2026-11-10', '2026-11-10', '1', '200', '200.00']]);
    expect(ratePartnerOffer(s, '2026-12', b)).toEqual([]);
  });

  it('are not billed when cancelled before ever being active', () => {
    const s = sub([['created', '2026-11-10T09:00:00Z', 1], ['cancelled', '2026-11-11T09:00:00Z', 1]], ONCE);
    expect(ratePartnerOffer(s, '2026-11', b)).toEqual([]);
  });
});

describe('which run bills a one-off charge', () => {
  const runs = [
    { period: '2026-10', cutoff: new Date('2026-11-01T00:00:05Z') },
    { period: '2026-11', cutoff: new Date('2026-12-01T00:00:05Z') },
  ];
  it('is the next run of its month or later that started after it', () => {
    expect(chargeRun(runs, new Date('2026-10-20T10:00:00Z'))?.period).toBe('2026-10');
    // Added on the 1st, after October had been run: November's invoice.
    expect(chargeRun(runs, new Date('2026-11-01T00:00:07Z'))?.period).toBe('2026-11');
    expect(chargeRun(runs, new Date('2026-12-03T00:00:00Z'))).toBeUndefined();
  });
});
