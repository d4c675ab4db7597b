import { periodOf } from '../money/dates';
import type { RunCut } from '../runs/billing-window';

/**
 * The run that bills a one-off charge: the first run, in start order (cutoff, then period), of
 * a month not before the charge's that started after the charge was added — the customer's
 * next invoice from that partner. Undefined while no such run exists (the charge is unbilled).
 */
export function chargeRun(runs: RunCut[], createdAt: Date): RunCut | undefined {
  const month = periodOf(createdAt);
  return [...runs]
    .filter((r) => r.period >= month && r.cutoff.getTime() > createdAt.getTime())
    .sort((a, b) => a.cutoff.getTime() - b.cutoff.getTime() || (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))[0];
}
