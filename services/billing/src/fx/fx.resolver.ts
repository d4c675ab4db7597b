import { authorize, badInput, requireOperator } from '@csp/kernel';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { PERIOD_RE } from '@csp/kernel';
import { Dec, formatExact, isIsoCurrency } from '../money/decimal';
import type { FxRateDoc } from './fx-rate.model';
import { FxQuote, FxRateInput, FxRateTable } from './fx.type';

const currency = (c: string, field: string) => {
  const v = c.trim().toUpperCase();
  if (!isIsoCurrency(v)) throw badInput(`${field} ${JSON.stringify(c)} is not an ISO 4217 currency code`, field);
  return v;
};

@Resolver()
export class FxResolver {
  @Mutation(() => FxRateTable, { description: "Operator: a month's exchange rates (1 base = rate currency). Invoices of that month convert with them, once per line." })
  async publishFxRates(
    @Arg('month') month: string,
    @Arg('base') base: string,
    @Arg('rates', () => [FxRateInput]) rates: FxRateInput[],
    @Ctx() ctx: BillingContext,
  ): Promise<FxRateTable> {
    authorize(ctx, 'publishFxRates');
    requireOperator(ctx);
    if (!PERIOD_RE.test(month)) throw badInput('month must be "YYYY-MM"', 'month');
    const b = currency(base, 'base');
    if (!rates.length || rates.length > 200) throw badInput('rates must hold 1 to 200 currencies', 'rates');
    const seen = new Set<string>();
    const docs: FxRateDoc[] = rates.map((r, i) => {
      const c = currency(r.currency, `rates[${i}].currency`);
      if (c === b) throw badInput(`rates[${i}]: ${c} is the base currency`, `rates[${i}].currency`);
      if (seen.has(c)) throw badInput(`rates[${i}]: ${c} appears twice`, `rates[${i}].currency`);
      seen.add(c);
      const rate = new Dec(r.rate);
      if (!rate.gt(0)) throw badInput(`rates[${i}].rate must be greater than 0`, `rates[${i}].rate`);
      return { _id: `${month}|${b}|${c}`, month, base: b, currency: c, rate: formatExact(rate), publishedAt: ctx.deps.clock.now() };
    });
    const m = ctx.deps.models.fxRates;
    await m.bulkWrite(docs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })));
    const all = await m.find({ month, base: b }).sort({ currency: 1 }).lean<FxRateDoc[]>();
    return Object.assign(new FxRateTable(), { month, base: b, rates: all.map((d) => Object.assign(new FxQuote(), { currency: d.currency, rate: d.rate })) });
  }
}
