import { aggregateLocks, initModels, type Runtime } from '@csp/kernel';
import { supportEnv } from './config';
import { registerOpenTicketsGauge } from './metrics';
import { supportModels } from './models';
import { TargetBook } from './sla/targets';
import { TicketSeverity, TicketStatus } from './tickets/ticket.enums';
import { TicketService } from './tickets/ticket.service';

/** Built once per process: what resolvers and domain code need, never the Runtime itself. */
export async function buildDeps(rt: Runtime<typeof supportEnv>) {
  const settings = rt.settings;
  const conn = rt.mongo.connection;
  const models = supportModels(conn);
  // Unique indexes carry the invariants (ticket numbers, one breach per target): build them first.
  await initModels(models);
  const targets = new TargetBook(models.targets);
  const locks = aggregateLocks(rt.redis, rt.config.REDIS_PREFIX);
  const tickets = new TicketService(models, targets, rt.clock, locks);
  registerOpenTicketsGauge(async () => {
    const out: Record<string, number> = {};
    for (const severity of Object.values(TicketSeverity)) out[severity] = await models.tickets.countDocuments({ severity, status: { $ne: TicketStatus.CLOSED } });
    return out;
  });
  return { clock: rt.clock, logger: rt.logger, settings, models, locks, targets, tickets };
}

export type SupportDeps = Awaited<ReturnType<typeof buildDeps>>;
export type { SupportModels } from './models';
