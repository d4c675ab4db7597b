import { event } from '@csp/events';
import { isDuplicateKey, startSweeper, type AggregateLocks, type Clock, type Logger, type Sweeper } from '@csp/kernel';
import type { SupportModels } from '../models';
import { slaBreaches } from '../metrics';
import { facts } from '../tickets/ticket.service';
import { TicketStatus } from '../tickets/ticket.enums';
import type { TicketDoc } from '../tickets/ticket.model';
import type { SlaTarget } from './breach.model';

const BATCH = 200;

/**
 * Finds open tickets past a target by the platform clock (test-clock jumps included: it runs on
 * every jump and every `pollMs`). Every replica sweeps; the breach document's unique id is the
 * claim, so each breach is counted and its event published once.
 */
export function startSlaSweeper(deps: { models: SupportModels; locks: AggregateLocks; clock: Clock; logger: Logger }, pollMs: number): Sweeper {
  const { models: m, locks, clock, logger } = deps;
  const breach = async (t: TicketDoc, target: SlaTarget) => {
    const now = clock.now();
    const dueAt = target === 'FIRST_RESPONSE' ? t.firstResponseDueAt : t.resolutionDueAt;
    const id = `${t._id}|${target}`;
    try {
      await m.breaches.create({
        _id: id,
        ticketId: t._id,
        target,
        dueAt,
        at: now,
        outbox: [event('ticket.slaBreached', { ...facts(t, now), target, dueAt: dueAt.toISOString() }, clock, `sla-breach-${t._id}-${target}`)],
      });
      slaBreaches.inc({ target, severity: t.severity });
      logger.info({ ticketId: t._id, number: t.number, target }, 'support target missed');
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // The flag only keeps the ticket out of the next sweep; the ticket's writers share this lock.
    await locks.hold(m.tickets.collection.name, t._id, () =>
      m.tickets.updateOne({ _id: t._id }, { $set: target === 'FIRST_RESPONSE' ? { breachedFirstResponse: true } : { breachedResolution: true } }),
    );
  };
  return startSweeper({
    name: 'SLA sweep',
    clock: clock,
    logger: logger,
    everyMs: pollMs,
    sweep: async () => {
      const now = clock.now();
      const open = { status: { $ne: TicketStatus.CLOSED } };
      const late = await m.tickets.find({ ...open, firstResponded: false, breachedFirstResponse: false, firstResponseDueAt: { $lte: now } }, { outbox: 0 }).limit(BATCH).lean<TicketDoc[]>();
      for (const t of late) await breach(t, 'FIRST_RESPONSE');
      const unresolved = await m.tickets.find({ ...open, breachedResolution: false, resolutionDueAt: { $lte: now } }, { outbox: 0 }).limit(BATCH).lean<TicketDoc[]>();
      for (const t of unresolved) await breach(t, 'RESOLUTION');
    },
  });
}
