import type { FxRate } from '../fx/fx-table';
import { Dec, formatExact, formatMoney, roundMoney } from '../money/decimal';
import { priceLine, type PricedLine, type VendorCharge } from './charge-line';

/**
 * Prices a vendor charge in the invoice's (agreed) currency: the exact amount at market prices
 * × factor × rate, rounded once half-even to the target currency's minor unit. The line keeps
 * the market-currency amount (rounded on its own, for reconciliation only) and the rate.
 */
export function priceLineIn(c: VendorCharge, factor: Dec, target: string, fx: FxRate | undefined): PricedLine {
  if (!fx || c.currency === target) return priceLine(c, factor);
  const unitAtSource = c.unitPrice.times(factor);
  const unit = unitAtSource.times(fx.rate);
  const amount = roundMoney(c.quantity.times(unit).times(c.share), target);
  const sourceAmount = roundMoney(c.quantity.times(unitAtSource).times(c.share), c.currency);
  return {
    ...priceLine(c, factor),
    unitPrice: formatExact(unit),
    amount: formatMoney(amount, target),
    currency: target,
    sourceCurrency: c.currency,
    sourceAmount: formatMoney(sourceAmount, c.currency),
    fxRate: fx.rate,
  };
}
