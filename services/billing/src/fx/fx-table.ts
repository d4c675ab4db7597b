import type { Model } from 'mongoose';
import { Dec, formatExact } from '../money/decimal';
import type { FxRateDoc } from './fx-rate.model';

/** Derived (inverse or cross) rates are fixed at this many decimals: the rate shown is the rate used. */
const DERIVED_DP = 10;

/** The rate converting one currency into another for one month, as printed on the invoice. */
export interface FxRate {
  from: string;
  to: string;
  rate: string;
}

/** A month's published rates: direct (base → currency), inverse, or across a common base. */
export class FxTable {
  constructor(
    readonly month: string,
    private readonly docs: FxRateDoc[],
  ) {}

  static async load(model: Model<FxRateDoc>, month: string): Promise<FxTable> {
    return new FxTable(month, await model.find({ month }).lean<FxRateDoc[]>());
  }

  /** 1 `from` = rate `to`; undefined when the month has no way to get there. */
  rate(from: string, to: string): FxRate | undefined {
    if (from === to) return { from, to, rate: '1' };
    const direct = this.docs.find((d) => d.base === from && d.currency === to);
    if (direct) return { from, to, rate: formatExact(new Dec(direct.rate)) };
    const inverse = this.docs.find((d) => d.base === to && d.currency === from);
    if (inverse) return { from, to, rate: fixed(new Dec(1).div(inverse.rate)) };
    // Across a base both are quoted in: 1 from = (r_to / r_from) to.
    for (const a of this.docs.filter((d) => d.currency === from)) {
      const b = this.docs.find((d) => d.base === a.base && d.currency === to);
      if (b) return { from, to, rate: fixed(new Dec(b.rate).div(a.rate)) };
    }
    return undefined;
  }
}

const fixed = (d: Dec) => formatExact(d.toDecimalPlaces(DERIVED_DP, Dec.ROUND_HALF_EVEN));

/** Why a bill-to cannot be invoiced yet: readable on the run and on the failed job. */
export const missingRateReason = (from: string, to: string, month: string) =>
  `no exchange rate ${from}→${to} published for ${month}: publish the month's rates (publishFxRates) and retry this job`;
