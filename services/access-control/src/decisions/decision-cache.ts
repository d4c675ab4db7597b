import type { Clock } from '@csp/kernel';
import type { Decision, DecisionCaller, DecisionEngine, DecisionRequest, SubscriptionFacts } from './decision-engine';
import type { ChangeVersion } from './change-version';

const MAX_ENTRIES = 20_000;

/**
 * Per-process decision cache in front of the engine. Entries belong to one change version:
 * reading the version costs one Redis GET per batch and drops everything after any change.
 * A GDAP-based allow also ends at the relationship's end (domain clock).
 */
export class DecisionCache {
  private entries = new Map<string, Decision>();
  private version = '';

  constructor(private readonly engine: DecisionEngine, private readonly changes: ChangeVersion, private readonly clock: Clock) {}

  /** `known`: subscription facts the caller just read from the read model (saves the engine a query). */
  async decideMany(caller: DecisionCaller, requests: DecisionRequest[], known?: SubscriptionFacts[]): Promise<Decision[]> {
    const version = await this.changes.current();
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const now = this.clock.now();
    const prefix = `${caller.kind}|${caller.userId}|${[...(caller.groupIds ?? [])].sort().join(',')}|`;
    const keys = requests.map((r) => `${prefix}${r.scope.path}|${r.action}`);
    const out: Array<Decision | undefined> = keys.map((k) => {
      const d = this.entries.get(k);
      return d && (d.validUntil === undefined || now.getTime() < d.validUntil) ? d : undefined;
    });
    const missing = out.flatMap((d, i) => (d ? [] : [i]));
    if (missing.length) {
      const fresh = await this.engine.decideMany(caller, missing.map((i) => requests[i]), now, known);
      // Only cache what was computed at the version read above: a change meanwhile bumps it again.
      const cacheable = this.version === version;
      if (cacheable && this.entries.size + fresh.length > MAX_ENTRIES) this.entries.clear();
      missing.forEach((i, j) => {
        out[i] = fresh[j];
        if (cacheable) this.entries.set(keys[i], fresh[j]);
      });
    }
    return out as Decision[];
  }

  async decide(caller: DecisionCaller, request: DecisionRequest): Promise<Decision> {
    return (await this.decideMany(caller, [request]))[0];
  }

  /** After a change in this process: forget at once (other processes see the bumped version). */
  async changed(): Promise<void> {
    await this.changes.bump();
    this.entries.clear();
  }
}
