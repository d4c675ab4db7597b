import fc from 'fast-check';
import { PriceBook } from '../src/catalog/price-book';
import type { RateCardDoc } from '../src/catalog/rate-card.model';
import { Dec, roundMoney } from '../src/money/decimal';
import { priceLine, sumAmounts } from '../src/rating/charge-line';
import { rateLicense } from '../src/rating/license-rating';
import { rateUsage, type RatableUsage } from '../src/rating/usage-rating';
import { runWindow, unbilledWindow } from '../src/runs/billing-window';
import type { SubFactDoc } from '../src/subscriptions/sub-fact.model';
import { licenseSegments, subView } from '../src/subscriptions/timeline';

/** Rating rules as pure functions: fast, many cases. */
const card = (effectiveFrom: string, rates: Array<[string, string]>): RateCardDoc => ({
  _id: `DE|${effectiveFrom}`,
  market: 'DE',
  currency: 'EUR',
  effectiveFrom,
  meters: [{ id: 'm', name: 'M', unit: 'u', rates: rates.map(([fromQuantity, price]) => ({ fromQuantity, price })) }],
});
const fact = (type: SubFactDoc['type'], at: string, quantity = 1, billingType: 'USAGE' | 'LICENSE' = 'LICENSE'): SubFactDoc => ({
  _id: `${type}-${at}`,
  subscriptionId: 's',
  type,
  at: new Date(at),
  customerId: 'c',
  partnerId: 'p',
  offerId: 'o',
  billingType,
  quantity,
  market: 'DE',
});
const usageSub = subView([fact('activated', '2026-01-01T00:00:00Z', 1, 'USAGE')]);
const rec = (id: string, quantity: string, usageDate: string): RatableUsage => ({ _id: id, subscriptionId: 's', meterId: 'm', quantity, usageDate, month: usageDate.slice(0, 7) });

describe('tiered usage rating', () => {
  const book = new PriceBook([card('2026-01-01', [['0', '0.10'], ['100', '0.08'], ['1000', '0.05']])]);

  it('splits a record that crosses tier boundaries', () => {
    const lines = rateUsage([rec('a', '50', '2026-03-01'), rec('b', '1000', '2026-03-02')], new Map([['s', usageSub]]), book);
    expect(lines.map((l) => [l.quantity.toFixed(), l.unitPrice.toFixed(), l.usageFrom, l.usageTo])).toEqual([
      ['100', '0.1', '2026-03-01', '2026-03-02'],
      ['900', '0.08', '2026-03-02', '2026-03-02'],
      ['50', '0.05', '2026-03-02', '2026-03-02'],
    ]);
  });

  it('continues from quantity billed earlier in the month (late usage)', () => {
    const lines = rateUsage([rec('a', '10', '2026-03-05')], new Map([['s', usageSub]]), book, new Map([['s|m|2026-03', new Dec(95)]]));
    expect(lines.map((l) => [l.quantity.toFixed(), l.unitPrice.toFixed()])).toEqual([['5', '0.1'], ['5', '0.08']]);
  });

  it('prices each day at the card in force on it; cumulative quantity carries across the change', () => {
    const two = new PriceBook([card('2026-01-01', [['0', '1'], ['10', '0.5']]), card('2026-03-10T00:00:00.000Z', [['0', '2'], ['10', '1']])]);
    const lines = rateUsage([rec('a', '8', '2026-03-09'), rec('b', '4', '2026-03-10')], new Map([['s', usageSub]]), two);
    // 8 @ 1 (old card), then 2 @ 2 (new card, tier 0) and 2 @ 1 (new card, tier 10)
    expect(lines.map((l) => [l.quantity.toFixed(), l.unitPrice.toFixed(), l.description.includes('2026-03-10')])).toEqual([
      ['8', '1', false],
      ['2', '2', true],
      ['2', '1', true],
    ]);
  });

  it('property: quantities are kept, and the exact charge is the tier curve between start and end', () => {
    const tiers: Array<[number, string]> = [[0, '0.10'], [100, '0.08'], [1000, '0.05']];
    // cost(q) = Σ price × (part of [0, q) inside the tier): an independent way to price a month.
    const cost = (q: Dec) =>
      tiers.reduce((sum, [from, price], i) => {
        const to = tiers[i + 1]?.[0];
        const part = Dec.max(0, Dec.min(q, to ?? q).minus(from));
        return sum.plus(part.times(price));
      }, new Dec(0));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 1, max: 28 })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 2000 }),
        (rows, prior) => {
          const records = rows.map(([milli, day], i) => rec(`r${i}`, new Dec(milli).div(1000).toFixed(), `2026-04-${String(day).padStart(2, '0')}`));
          const lines = rateUsage(records, new Map([['s', usageSub]]), book, new Map([['s|m|2026-04', new Dec(prior)]]));
          const total = records.reduce((a, r) => a.plus(r.quantity), new Dec(0));
          expect(lines.reduce((a, l) => a.plus(l.quantity), new Dec(0)).eq(total)).toBe(true);
          const exact = lines.reduce((a, l) => a.plus(l.quantity.times(l.unitPrice)), new Dec(0));
          expect(exact.eq(cost(total.plus(prior)).minus(cost(new Dec(prior))))).toBe(true);
          // Rounded once per line: the invoice total is the sum of the lines, within half a cent per line of exact.
          const priced = lines.map((l) => priceLine(l, new Dec(1)));
          const sum = new Dec(sumAmounts(priced.map((p) => p.amount), 'EUR'));
          expect(sum.minus(exact).abs().lte(new Dec('0.005').times(lines.length))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rounds half-even, once', () => {
    expect(roundMoney(new Dec('1.845'), 'EUR').toFixed(2)).toBe('1.84');
    expect(roundMoney(new Dec('5.555'), 'EUR').toFixed(2)).toBe('5.56');
    expect(roundMoney(new Dec('-0.125'), 'EUR').toFixed(2)).toBe('-0.12');
    expect(roundMoney(new Dec('2.5'), 'JPY').toFixed(0)).toBe('2');
  });
});

describe('license proration', () => {
  const book = new PriceBook([], [{ _id: 'x', offerId: 'o', market: 'DE', currency: 'EUR', unitPrice: '31', effectiveAt: new Date('2026-01-01T00:00:00Z') }]);

  it('activation, quantity change, suspension, reactivation and cancellation each cut a segment', () => {
    const sub = subView([
      fact('created', '2026-03-01T09:00:00Z', 5),
      fact('activated', '2026-03-03T10:00:00Z', 5),
      fact('quantityChanged', '2026-03-08T00:00:00Z', 7),
      fact('suspended', '2026-03-15T12:00:00Z', 7),
      fact('reactivated', '2026-03-20T12:00:00Z', 7),
      fact('cancelled', '2026-03-28T23:00:00Z', 7),
    ]);
    expect(licenseSegments(sub, '2026-03')).toEqual([
      { from: '2026-03-03', to: '2026-03-07', days: 5, quantity: 5 },
      { from: '2026-03-08', to: '2026-03-14', days: 7, quantity: 7 },
      { from: '2026-03-20', to: '2026-03-27', days: 8, quantity: 7 },
    ]);
    // 31.00 per licence-month, 31 days: 1.00 per licence-day
    expect(rateLicense(sub, '2026-03', book).map((c) => priceLine(c, new Dec(1)).amount)).toEqual(['25.00', '49.00', '56.00']);
    expect(licenseSegments(sub, '2026-04')).toEqual([]);
    expect(licenseSegments(sub, '2026-02')).toEqual([]);
  });

  it('a whole month is quantity × price; a month in progress accrues up to a day', () => {
    const sub = subView([fact('activated', '2026-01-15T00:00:00Z', 2)]);
    expect(rateLicense(sub, '2026-03', book).map((c) => priceLine(c, new Dec(1)).amount)).toEqual(['62.00']);
    expect(licenseSegments(sub, '2026-03', '2026-03-10')).toEqual([{ from: '2026-03-01', to: '2026-03-10', days: 10, quantity: 2 }]);
  });
});

describe('which usage a run bills', () => {
  const t = (h: number) => new Date(Date.UTC(2026, 10, 1, h));
  const match = (filter: Record<string, unknown>, r: { month: string; receivedAt: Date }): boolean => {
    if (filter.$or) return (filter.$or as Array<Record<string, unknown>>).some((f) => match(f, r));
    const m = filter.month as { $gt?: string; $lte?: string } | undefined;
    const rc = filter.receivedAt as { $gte?: Date; $lt?: Date } | undefined;
    return (
      (!m || ((!m.$gt || r.month > m.$gt) && (!m.$lte || r.month <= m.$lte))) &&
      (!rc || ((!rc.$gte || r.receivedAt >= rc.$gte) && (!rc.$lt || r.receivedAt < rc.$lt)))
    );
  };

  it('each record goes to the first run started after it arrived that covers its month — once', () => {
    const runs = [
      { period: '2026-09', cutoff: t(1) },
      { period: '2026-10', cutoff: t(3) },
      { period: '2026-08', cutoff: t(5) }, // an older month run late
    ];
    const records = [
      { month: '2026-09', receivedAt: t(0) }, // → 2026-09
      { month: '2026-09', receivedAt: t(2) }, // late for September → 2026-10
      { month: '2026-08', receivedAt: t(0) }, // → 2026-09 (first run covering August)
      { month: '2026-08', receivedAt: t(4) }, // → 2026-08
      { month: '2026-10', receivedAt: t(4) }, // after October's run → unbilled
      { month: '2026-11', receivedAt: t(0) }, // no run covers it → unbilled
    ];
    const billedBy = records.map((r) => runs.filter((run) => match(runWindow(runs, run), r)).map((run) => run.period));
    expect(billedBy).toEqual([['2026-09'], ['2026-10'], ['2026-09'], ['2026-08'], [], []]);
    expect(records.map((r) => match(unbilledWindow(runs), r))).toEqual([false, false, false, false, true, true]);
  });

  it('runs started in the same instant (one clock jump over several month ends) split the usage by month, once', () => {
    const runs = [
      { period: '2026-09', cutoff: t(1) },
      { period: '2026-10', cutoff: t(1) },
    ];
    const records = [
      { month: '2026-08', receivedAt: t(0) },
      { month: '2026-09', receivedAt: t(0) },
      { month: '2026-10', receivedAt: t(0) },
      { month: '2026-10', receivedAt: t(1) }, // at the cutoff: after it
    ];
    const billedBy = records.map((r) => runs.filter((run) => match(runWindow(runs, run), r)).map((run) => run.period));
    expect(billedBy).toEqual([['2026-09'], ['2026-09'], ['2026-10'], []]);
  });
});
