import { authorize, badInput, countryCode, requireOperator } from '@csp/kernel';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { isDay } from '../money/dates';
import { Dec, formatExact } from '../money/decimal';
import type { TaxRateDoc } from './tax-rate.model';
import { TaxRate, TaxRateInput } from './tax.type';

@Resolver()
export class TaxResolver {
  @Mutation(() => [TaxRate], { description: 'Operator: VAT rates per country from a day on. Invoices issued afterwards use the rate in force on their last day of supply.' })
  async publishTaxRates(@Arg('rates', () => [TaxRateInput]) rates: TaxRateInput[], @Ctx() ctx: BillingContext): Promise<TaxRate[]> {
    authorize(ctx, 'publishTaxRates');
    requireOperator(ctx);
    if (!rates.length || rates.length > 500) throw badInput('rates must hold 1 to 500 entries', 'rates');
    const docs: TaxRateDoc[] = rates.map((r, i) => {
      const country = countryCode(r.country, `rates[${i}].country`);
      if (!isDay(r.validFrom)) throw badInput(`rates[${i}].validFrom must be a day "YYYY-MM-DD"`, `rates[${i}].validFrom`);
      const pct = new Dec(r.ratePercent);
      if (pct.lt(0) || pct.gt(100)) throw badInput(`rates[${i}].ratePercent must be between 0 and 100`, `rates[${i}].ratePercent`);
      return { _id: `${country}|${r.validFrom}`, country, ratePercent: formatExact(pct), validFrom: r.validFrom, publishedAt: ctx.deps.clock.now() };
    });
    await ctx.deps.models.taxRates.bulkWrite(docs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })));
    return docs.map((d) => Object.assign(new TaxRate(), { country: d.country, ratePercent: d.ratePercent, validFrom: d.validFrom }));
  }
}
