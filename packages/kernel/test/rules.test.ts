import { billingPeriod, boundedDecimal, BOUNDS, cleanName, countryCode, currencyCode, decimalProblem } from '../src/rules';

/** The one home of input rules (issue 17): each class of the outside probe's inputs. */
describe('input rules', () => {
  it('bounds each kind of amount and names it', () => {
    expect(decimalProblem('1000000000000000000000000000', BOUNDS.usageQuantity)).toMatch(/quantity .* at most 1000000000/);
    expect(() => boundedDecimal('50000', 'markupPercent', BOUNDS.markupPercent)).toThrow(/markupPercent/);
    expect(() => boundedDecimal('-101', 'markupPercent', BOUNDS.markupPercent)).toThrow(/below -100/);
    expect(() => boundedDecimal('2000000000', 'amount', BOUNDS.paymentAmount)).toThrow(/at most/);
    expect(() => boundedDecimal('1.12345', 'markupPercent', BOUNDS.markupPercent)).toThrow(/fraction digits/);
    expect(boundedDecimal('12.50', 'prices.unitPrice', BOUNDS.unitPrice)).toBe('12.50');
    expect(boundedDecimal('-0', 'markupPercent', BOUNDS.markupPercent)).toBe('0');
  });

  it('takes real ISO codes only, and only the allowed currencies', () => {
    expect(countryCode('de')).toBe('DE');
    for (const bad of ['XX', 'ZZ', 'EU', 'QZ', 'D1']) expect(() => countryCode(bad)).toThrow(/ISO 3166-1/);
    expect(currencyCode('eur')).toBe('EUR');
    for (const bad of ['XXX', 'XTS', 'XAU', 'ABC']) expect(() => currencyCode(bad)).toThrow(/ISO 4217/);
    expect(() => currencyCode('USD', 'currency', ['EUR'])).toThrow(/not allowed here; use EUR/);
  });

  it('refuses periods outside the platform years', () => {
    expect(billingPeriod('2026-11')).toBe('2026-11');
    for (const bad of ['0001-01', '9999-12', '2026-13', '2026-1']) expect(() => billingPeriod(bad)).toThrow(/YYYY-MM/);
  });

  it('refuses control, bidi-override and zero-width characters in names', () => {
    expect(cleanName('  Contoso GmbH ', 'name', 200)).toBe('Contoso GmbH');
    expect(cleanName('Cafe\u0301', 'name', 200)).toBe('Café'); // NFC
    for (const bad of ['a\u0000b', 'a\nb', 'a\u202Eb', 'a\u2067b', 'a\u200Bb', 'a\uFEFFb', 'a\u200Fb', '']) expect(() => cleanName(bad, 'name', 200)).toThrow(/name/);
    expect(() => cleanName('x'.repeat(201), 'name', 200)).toThrow(/1 to 200/);
  });
});
