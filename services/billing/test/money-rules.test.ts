import { FxTable } from '../src/fx/fx-table';
import type { FxRateDoc } from '../src/fx/fx-rate.model';
import { Dec, isIsoCurrency, minorUnits } from '../src/money/decimal';
import { epochOf, firstWholeDay, splitDays } from '../src/rating/dated-prices';
import { priceLineIn } from '../src/rating/fx-conversion';
import type { VendorCharge } from '../src/rating/charge-line';
import { REVERSE_CHARGE_NOTE, taxTreatment } from '../src/tax/tax-rules';
import type { TaxRateDoc } from '../src/tax/tax-rate.model';

/** The pure rules behind money.graphql: ISO minor units, FX derivation, VAT treatment, dated prices. */
describe('ISO 4217 minor units (the published table)', () => {
  it.each([
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['TND', 3],
    ['CLF', 4],
    ['UYW', 4],
    ['ISK', 0],
    ['CHF', 2],
  ])('%s has %i', (c, n) => expect(minorUnits(c)).toBe(n));
  it('knows codes from the list only', () => {
    expect(isIsoCurrency('SEK')).toBe(true);
    expect(isIsoCurrency('XYZ')).toBe(false);
    expect(isIsoCurrency('eur')).toBe(false);
  });
});

describe('FX: direct, inverse, across a base', () => {
  const doc = (base: string, currency: string, rate: string): FxRateDoc => ({ _id: `2026-10|${base}|${currency}`, month: '2026-10', base, currency, rate, publishedAt: new Date(0) });
  const t = new FxTable('2026-10', [doc('EUR', 'CHF', '0.95'), doc('EUR', 'USD', '1.08')]);
  it('same currency needs no rate', () => expect(t.rate('EUR', 'EUR')).toEqual({ from: 'EUR', to: 'EUR', rate: '1' }));
  it('direct', () => expect(t.rate('EUR', 'CHF')?.rate).toBe('0.95'));
  it('inverse, fixed at 10 decimals (the rate shown is the rate used)', () => expect(t.rate('USD', 'EUR')?.rate).toBe('0.9259259259'));
  it('cross', () => expect(t.rate('CHF', 'USD')?.rate).toBe('1.1368421053'));
  it('missing', () => expect(t.rate('EUR', 'GBP')).toBeUndefined());
});

describe('converting a line once, half-even, at the target minor unit', () => {
  const charge = (unitPrice: string, quantity: string, share = '1'): VendorCharge => ({
    lineKey: 'k',
    subscriptionId: 's',
    customerId: 'c',
    chargeType: 'USAGE',
    description: 'd',
    quantity: new Dec(quantity),
    unitPrice: new Dec(unitPrice),
    share: new Dec(share),
    currency: 'EUR',
    usageFrom: '2026-10-01',
    usageTo: '2026-10-01',
  });
  it('rounds the exact converted amount once (not the rounded EUR amount again)', () => {
    // 1 × 0.005 EUR = 0.005 → 0.00 EUR (half-even); × 100 JPY = 0.5 JPY → 0 JPY; 3 × … = 1.5 → 2.
    expect(priceLineIn(charge('0.005', '1'), new Dec(1), 'JPY', { from: 'EUR', to: 'JPY', rate: '100' })).toMatchObject({ amount: '0', sourceAmount: '0.00', fxRate: '100', unitPrice: '0.5' });
    expect(priceLineIn(charge('0.005', '3'), new Dec(1), 'JPY', { from: 'EUR', to: 'JPY', rate: '100' }).amount).toBe('2');
    // 0.0125 × 1 BHD-rate 0.41 = 0.005125 → 0.005 (three decimals).
    expect(priceLineIn(charge('0.0125', '1'), new Dec(1), 'BHD', { from: 'EUR', to: 'BHD', rate: '0.41' }).amount).toBe('0.005');
  });
  it('leaves a same-currency line alone', () => {
    const line = priceLineIn(charge('0.10', '5'), new Dec('0.95'), 'EUR', undefined);
    expect(line).toMatchObject({ amount: '0.48', currency: 'EUR' });
    expect(line.fxRate).toBeUndefined();
  });
});

describe('VAT treatment', () => {
  const rates: TaxRateDoc[] = [
    { _id: 'DE|2020-07-01', country: 'DE', ratePercent: '16', validFrom: '2020-07-01', publishedAt: new Date(0) },
    { _id: 'DE|2021-01-01', country: 'DE', ratePercent: '19', validFrom: '2021-01-01', publishedAt: new Date(0) },
    { _id: 'FR|2000-01-01', country: 'FR', ratePercent: '20', validFrom: '2000-01-01', publishedAt: new Date(0) },
  ];
  it('domestic: the rate in force on the tax day', () => {
    expect(taxTreatment({ sellerCountry: 'DE', buyerCountry: 'DE', buyerTaxId: 'DE123456789' }, rates, '2020-12-31')?.ratePercent).toBe('16');
    expect(taxTreatment({ sellerCountry: 'DE', buyerCountry: 'DE' }, rates, '2026-10-31')?.ratePercent).toBe('19');
  });
  it('EU business across a border: reverse charge, 0 %, with the legal note', () => {
    expect(taxTreatment({ sellerCountry: 'IE', buyerCountry: 'DE', buyerTaxId: 'DE123456789' }, rates, '2026-10-31')).toEqual({ description: 'VAT reverse charge 0 % (buyer DE123456789)', ratePercent: '0', legalNote: REVERSE_CHARGE_NOTE });
  });
  it('EU buyer without a tax id pays its country’s rate', () => {
    expect(taxTreatment({ sellerCountry: 'DE', buyerCountry: 'FR' }, rates, '2026-10-31')?.ratePercent).toBe('20');
  });
  it('business outside the EU: 0 %, outside EU VAT', () => {
    expect(taxTreatment({ sellerCountry: 'DE', buyerCountry: 'CH', buyerTaxId: 'CHE123456789' }, rates, '2026-10-31')).toMatchObject({ ratePercent: '0', legalNote: expect.stringMatching(/outside the EU/) });
  });
  it('no rate published for the country: no tax line', () => {
    expect(taxTreatment({ sellerCountry: 'US', buyerCountry: 'US' }, rates, '2026-10-31')).toBeUndefined();
  });
});

describe('dated prices', () => {
  it('splits day ranges at cuts, prorating by day', () => {
    expect(splitDays('2026-10-01', '2026-10-31', ['2026-09-01', '2026-10-16', '2026-10-20', '2026-11-01'])).toEqual([
      { from: '2026-10-01', to: '2026-10-15', days: 15 },
      { from: '2026-10-16', to: '2026-10-19', days: 4 },
      { from: '2026-10-20', to: '2026-10-31', days: 12 },
    ]);
    expect(splitDays('2026-10-05', '2026-10-05', ['2026-10-05'])).toEqual([{ from: '2026-10-05', to: '2026-10-05', days: 1 }]);
  });
  it('a day belongs to the latest cut on or before it', () => {
    expect(epochOf(['2026-10-16', '2026-10-20'], '2026-10-19')).toBe('2026-10-16');
    expect(epochOf(['2026-10-16'], '2026-10-15')).toBe('');
  });
  it('a price published during a day prices from the next whole day (accrued days never jump)', () => {
    expect(firstWholeDay(new Date('2026-10-16T00:00:00.000Z'))).toBe('2026-10-16');
    expect(firstWholeDay(new Date('2026-10-16T10:00:00.000Z'))).toBe('2026-10-17');
  });
});
