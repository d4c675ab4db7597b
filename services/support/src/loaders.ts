import type { Caller } from '@csp/kernel';
import DataLoader from 'dataloader';
import type { SupportDeps } from './deps';
import type { TicketDoc } from './tickets/ticket.model';
import { visibleTickets } from './tickets/visibility';

/** Per-request batch loaders: one store query per kind of lookup per request. */
export function supportLoaders(deps: SupportDeps, caller: Caller | null) {
  const filter = caller ? visibleTickets(caller) : null;
  const t = deps.models.tickets;
  return {
    /** Linked tickets the caller may see (others: null). */
    visibleTicket: new DataLoader<string, TicketDoc | null>(async (ids) => {
      if (!filter) return ids.map(() => null);
      const docs = await t.find({ $and: [{ _id: { $in: [...ids] } }, filter] }, { outbox: 0 }).lean<TicketDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    visibleEscalations: new DataLoader<string, TicketDoc[]>(async (parentIds) => {
      if (!filter) return parentIds.map(() => []);
      const docs = await t.find({ $and: [{ parentTicketId: { $in: [...parentIds] } }, filter] }, { outbox: 0 }).sort({ _id: 1 }).lean<TicketDoc[]>();
      return parentIds.map((id) => docs.filter((d) => d.parentTicketId === id));
    }),
  };
}

export type SupportLoaders = ReturnType<typeof supportLoaders>;
