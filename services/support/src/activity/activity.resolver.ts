import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SupportContext } from '../context';
import { Ticket } from '../tickets/ticket.type';
import type { ActivityDoc } from './activity.model';
import { TicketActivity, toActivity } from './activity.type';

@Resolver(() => Ticket)
export class TicketActivityResolver {
  @FieldResolver(() => [TicketActivity], { description: 'What happened, oldest first — including the status of its escalation one level up, as events (never that side\'s notes).' })
  async activity(@Root() t: Ticket, @Ctx() ctx: SupportContext): Promise<TicketActivity[]> {
    const docs = await ctx.deps.models.activity.find({ ticketId: t.id }).sort({ at: 1, _id: 1 }).lean<ActivityDoc[]>();
    return docs.map(toActivity);
  }
}
