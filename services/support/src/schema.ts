import { buildSubgraph } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import { TicketActivityResolver } from './activity/activity.resolver';
import { TicketNoteResolver, TicketNotesResolver } from './notes/note.resolver';
import { CloudSubscriptionRef, CustomerRef, InvoiceRef, PartnerRef, UserRef } from './refs/refs.type';
import { TargetsResolver } from './sla/targets.resolver';
import { TicketResolver } from './tickets/ticket.resolver';
import { SupportVendor } from './tickets/ticket.type';

/** The support subgraph schema; pure (no stores), so composition can print it offline. */
export function buildSupportSchema(): Promise<GraphQLSchema> {
  return buildSubgraph({
    resolvers: [TicketResolver, TicketNotesResolver, TicketNoteResolver, TicketActivityResolver, TargetsResolver],
    // Referenced only: their owners (identity, subscription, billing) resolve their fields.
    orphanedTypes: [PartnerRef, CustomerRef, UserRef, CloudSubscriptionRef, InvoiceRef, SupportVendor],
  });
}
