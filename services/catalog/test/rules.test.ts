import { isAvailableAt, meterRatesAt, rateCardAt, type RateCardSnapshot } from '@csp/events';
import { validateTiers } from '../src/rate-cards/tiers';

const card = (market: string, effectiveFrom: string, price: string): RateCardSnapshot => ({
  market,
  currency: 'EUR',
  effectiveFrom,
  meters: [{ id: 'mtr_x', name: 'X', category: 'compute', unit: '1 Hour', rates: [{ fromQuantity: '0', price }] }],
});

describe('rateCardAt: the card of a market in force on a date', () => {
  const cards = [card('DE', '2026-03-01T00:00:00.000Z', '2'), card('DE', '2026-01-01T00:00:00.000Z', '1'), card('US', '2026-02-01T00:00:00.000Z', '9')];

  it('picks the latest card that had taken effect, whatever the order cards arrived in', () => {
    expect(rateCardAt(cards, 'DE', '2026-02-15')?.effectiveFrom).toBe('2026-01-01T00:00:00.000Z');
    expect(rateCardAt(cards, 'DE', '2026-03-01T00:00:00.000Z')?.effectiveFrom).toBe('2026-03-01T00:00:00.000Z');
    expect(rateCardAt(cards, 'DE', new Date('2027-01-01'))?.effectiveFrom).toBe('2026-03-01T00:00:00.000Z');
    expect(rateCardAt(cards, 'DE', '2025-12-31T23:59:59.999Z')).toBeUndefined();
    expect(rateCardAt(cards, 'UK', '2027-01-01')).toBeUndefined();
  });

  it('answers a meter rate on a day', () => {
    expect(meterRatesAt(cards, 'DE', 'mtr_x', '2026-02-28')).toEqual([{ fromQuantity: '0', price: '1' }]);
    expect(meterRatesAt(cards, 'DE', 'mtr_x', '2026-03-02')).toEqual([{ fromQuantity: '0', price: '2' }]);
    expect(meterRatesAt(cards, 'DE', 'mtr_other', '2026-03-02')).toBeUndefined();
  });
});

describe('isAvailableAt', () => {
  const availability = [{ market: 'DE', availableFrom: '2026-05-01T00:00:00.000Z' }];
  it('is true from the date on, in that market only', () => {
    expect(isAvailableAt(availability, 'DE', '2026-04-30T23:59:59.999Z')).toBe(false);
    expect(isAvailableAt(availability, 'DE', '2026-05-01T00:00:00.000Z')).toBe(true);
    expect(isAvailableAt(availability, 'US', '2027-01-01')).toBe(false);
  });
});

describe('tier rules', () => {
  const tiers = (...t: Array<[string, string]>) => t.map(([fromQuantity, price]) => ({ fromQuantity, price }));

  it('keeps exact decimal strings as given', () => {
    const t = tiers(['0', '0.000016'], ['0.0000001', '0.0000159'], ['0.0000002', '0.00001580']);
    expect(validateTiers(t, 'mtr_x')).toEqual(t);
  });

  it('compares exactly where floats would not: 0.1 + 0.2 style steps', () => {
    // As floats 0.30000000000000004 > 0.3; as decimals these are equal, so the tiers overlap.
    expect(() => validateTiers(tiers(['0', '1'], ['0.3', '1'], ['0.30', '1']), 'mtr_x')).toThrow(/strictly ascending/);
    expect(() => validateTiers(tiers(['0', '1'], ['0.30000000000000001', '1'], ['0.30000000000000002', '1']), 'mtr_x')).not.toThrow();
  });

  it('refuses a first tier above 0, descending or equal starts and negative prices', () => {
    expect(() => validateTiers(tiers(['0.0000001', '1']), 'mtr_x')).toThrow(/start at 0/);
    expect(() => validateTiers(tiers(['0', '1'], ['2', '1'], ['1', '1']), 'mtr_x')).toThrow(/strictly ascending/);
    expect(() => validateTiers(tiers(['0', '-0.0000001']), 'mtr_x')).toThrow(/negative/);
    expect(validateTiers(tiers(['0', '-0.00']), 'mtr_x')).toEqual(tiers(['0', '0.00']));
  });
});
