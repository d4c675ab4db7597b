import type { RateCardMeterSnapshot, RateTierSnapshot } from '@csp/events';
import { badInput, boundedDecimal, BOUNDS, cleanName } from '@csp/kernel';
import Decimal from 'decimal.js';
import { METER_ID } from '../shared/codes';

// One card is one document: keep it far below the 16 MB document limit.
const MAX_METERS = 2_000;
const MAX_TIERS = 50;

/**
 * Tiers of one meter: the first starts at 0, each next one strictly higher (no overlaps, no
 * gaps in order), no negative prices. Decimal strings are compared exactly and kept as given.
 */
export function validateTiers(rates: readonly RateTierSnapshot[], meterId: string): RateTierSnapshot[] {
  const field = `meters.${meterId}.rates`;
  if (!rates.length) throw badInput(`Meter ${meterId} needs at least one rate tier.`, field);
  if (rates.length > MAX_TIERS) throw badInput(`Meter ${meterId} has more than ${MAX_TIERS} tiers.`, field);
  let previous: Decimal | undefined;
  return rates.map((tier, i) => {
    const fromQuantity = boundedDecimal(tier.fromQuantity, field, BOUNDS.tierQuantity);
    const from = new Decimal(fromQuantity);
    const price = boundedDecimal(tier.price, field, BOUNDS.unitPrice);
    if (i === 0 && !from.isZero()) throw badInput(`Meter ${meterId}: the first tier must start at 0, not ${tier.fromQuantity}.`, field);
    if (previous && !from.greaterThan(previous)) {
      throw badInput(
        `Meter ${meterId}: tiers overlap — fromQuantity must be strictly ascending (${tier.fromQuantity} follows ${rates[i - 1].fromQuantity}).`,
        field,
      );
    }
    previous = from;
    return { fromQuantity, price };
  });
}

/** A whole card's meters: at least one, ids unique and well-formed, names present, tiers valid. */
export function validateMeters(meters: readonly RateCardMeterSnapshot[]): RateCardMeterSnapshot[] {
  if (!meters.length) throw badInput('A rate card needs at least one meter.', 'meters');
  if (meters.length > MAX_METERS) throw badInput(`A rate card holds at most ${MAX_METERS} meters.`, 'meters');
  const seen = new Set<string>();
  return meters.map((m) => {
    if (!METER_ID.test(m.id)) throw badInput(`"${m.id}" is not a meter id (lower-case letters, digits, _ . -; 3 to 64 characters).`, 'meters.id');
    if (seen.has(m.id)) throw badInput(`Meter ${m.id} is on the card twice.`, 'meters.id');
    seen.add(m.id);
    const name = cleanName(m.name, `meters.${m.id}.name`, 200);
    const category = cleanName(m.category, `meters.${m.id}.category`, 60).toLowerCase();
    const unit = cleanName(m.unit, `meters.${m.id}.unit`, 60);
    return { id: m.id, name, category, unit, rates: validateTiers(m.rates, m.id) };
  });
}
