import { newId, type Caller, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { AuditDoc } from './audit.model';

export type Actor = Pick<Caller, 'userId' | 'kind'> | 'system';

/** Appends audit records; kept in this service's store for the ops issue's auditRecords query. */
export class AuditLog {
  constructor(private readonly model: Model<AuditDoc>, private readonly clock: Clock) {}

  async record(actor: Actor, action: string, targetId: string, details: Record<string, unknown> = {}, customerId?: string): Promise<void> {
    await this.model.create({
      _id: newId('aud'),
      at: this.clock.now(),
      actorId: actor === 'system' ? 'system' : actor.userId,
      actorKind: actor === 'system' ? 'SYSTEM' : actor.kind,
      action,
      targetId,
      customerId,
      details,
    });
  }
}
