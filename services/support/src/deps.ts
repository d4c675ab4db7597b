import { initModels, type Runtime } from '@csp/kernel';
import { supportEnv } from './config';
import { registerOpenTicketsGauge } from './metrics';
import { supportModels } from './models';
import { TargetBook } from './sla/targets';
import { TicketSeverity, TicketStatus } from './tickets/ticket.enums';
import { TicketService } from './tickets/ticket.service';

/** Built once per process; resolvers reach it through the context. */
export async function buildDeps(rt: Runtime<typeof supportEnv>) {
  const settings = rt.settings;
  const conn = rt.mongo.connection;
  const models = supportModels(conn);
  // Unique indexes carry the invariants (ticket numbers, one breach per target): build them first.
  await initModels(models);
  const targets = new TargetBook(models.targets);
  const tickets = new TicketService(models, targets, rt.clock, rt.redis, rt.config.REDIS_PREFIX);
  registerOpenTicketsGauge(async () => {
    const out: Record<string, number> = {};
    for (const severity of Object.values(TicketSeverity)) out[severity] = await models.tickets.countDocuments({ severity, status: { $ne: TicketStatus.CLOSED } });
    return out;
  });
  return { rt, clock: rt.clock, settings, models, targets, tickets };
}

export type SupportDeps = Awaited<ReturnType<typeof buildDeps>>;
export type { SupportModels } from './models';
