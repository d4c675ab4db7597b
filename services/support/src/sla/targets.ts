import type { Model } from 'mongoose';
import { TicketSeverity } from '../tickets/ticket.enums';
import type { TargetDoc } from './targets.model';

export interface Targets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** Defaults when a handler has set none: first response 1 h / 8 h / 24 h, resolution 1 / 3 / 7 days. */
export const DEFAULT_TARGETS: Record<TicketSeverity, Targets> = {
  [TicketSeverity.CRITICAL]: { firstResponseMinutes: 60, resolutionMinutes: 24 * 60 },
  [TicketSeverity.MODERATE]: { firstResponseMinutes: 8 * 60, resolutionMinutes: 3 * 24 * 60 },
  [TicketSeverity.MINIMAL]: { firstResponseMinutes: 24 * 60, resolutionMinutes: 7 * 24 * 60 },
};

/** Bounds on a handler's own targets: a minute to 90 days. */
export const TARGET_MIN_MINUTES = 1;
export const TARGET_MAX_MINUTES = 90 * 24 * 60;

/** A handler's targets per severity; set values apply to tickets opened afterwards. */
export class TargetBook {
  constructor(private readonly model: Model<TargetDoc>) {}

  async all(handlerKey: string): Promise<Record<TicketSeverity, Targets>> {
    const docs = await this.model.find({ handlerKey }).lean<TargetDoc[]>();
    const out = { ...DEFAULT_TARGETS };
    for (const d of docs) out[d.severity as TicketSeverity] = { firstResponseMinutes: d.firstResponseMinutes, resolutionMinutes: d.resolutionMinutes };
    return out;
  }

  async of(handlerKey: string, severity: TicketSeverity): Promise<Targets> {
    const d = await this.model.findById(`${handlerKey}|${severity}`).lean<TargetDoc>();
    return d ? { firstResponseMinutes: d.firstResponseMinutes, resolutionMinutes: d.resolutionMinutes } : DEFAULT_TARGETS[severity];
  }

  /** Last writer wins: a setting, not an invariant. */
  async set(handlerKey: string, severity: TicketSeverity, t: Targets, at: Date): Promise<void> {
    await this.model.updateOne({ _id: `${handlerKey}|${severity}` }, { $set: { handlerKey, severity, ...t, updatedAt: at } }, { upsert: true });
  }
}
