import { WebhookResolver } from './webhooks/webhook.resolver';
import { buildSubgraph, requireCaller } from '@csp/kernel';
import DataLoader from 'dataloader';
import type { GraphQLSchema } from 'graphql';
import { AuthResolver } from './auth/auth.resolver';
import { ClientResolver } from './clients/client.resolver';
import { ClockResolver } from './platform/clock.resolver';
import { AuditRecordResolver } from './platform/audit-record.resolver';
import { JobResolver } from './platform/job.resolver';
import type { IdentityContext } from './context';
import { CustomerResolver } from './customers/customer.resolver';
import { Customer } from './customers/customer.type';
import { GroupResolver } from './groups/group.resolver';
import { SecurityGroup } from './groups/group.type';
import { PartnerResolver } from './partners/partner.resolver';
import { Partner } from './partners/partner.type';
import { RelationshipResolver } from './relationships/relationship.resolver';
import { UserAdminResolver } from './users/user-admin.resolver';
import { UserResolver } from './users/user.resolver';
import { User } from './users/user.type';
import { seesCustomer, seesPartner } from './visibility/visibility';

/**
 * Entity references are authorized like the root fields (hole 7): what the caller may not see
 * resolves to null, exactly like an id that exists nowhere. Besides its view, a caller may name
 * the partners it does business with (a customer its partners and their distributors, a
 * reseller its distributors): they appear on its subscriptions and invoices.
 */
const byReference =
  <T>(pick: (ctx: IdentityContext) => DataLoader<string, T | null>, allowed: (ctx: IdentityContext, entity: T) => Promise<boolean>) =>
  async (ref: { id: string }, ctx: IdentityContext) => {
    requireCaller(ctx);
    const entity = await pick(ctx).load(ref.id);
    return entity && (await allowed(ctx, entity)) ? entity : null;
  };

const partnerAllowed = async (ctx: IdentityContext, id: string) => seesPartner(await ctx.loaders.view(), id) || (await ctx.loaders.relatedPartners()).has(id);
const customerAllowed = async (ctx: IdentityContext, c: Customer) => seesCustomer(await ctx.loaders.view(), c.id);
const userAllowed = async (ctx: IdentityContext, u: User) => {
  const caller = ctx.caller!;
  const view = await ctx.loaders.view();
  if (view.all || u.id === caller.userId) return true;
  // Partner staff are named to the customers and resellers they work for (e.g. a ticket's
  // author); ids are unguessable, so this reveals no one a caller could not already meet.
  if (u.partnerId) return seesPartner(view, u.partnerId) || (await ctx.loaders.relatedPartners()).has(u.partnerId);
  return !!u.customerId && seesCustomer(view, u.customerId);
};
const groupAllowed = async (ctx: IdentityContext, g: SecurityGroup) =>
  g.ownerKind === 'PARTNER' ? partnerAllowed(ctx, g.ownerId) : seesCustomer(await ctx.loaders.view(), g.ownerId);

/** The identity subgraph schema; pure (no stores), so composition can print it offline. */
export function buildIdentitySchema(): Promise<GraphQLSchema> {
  return buildSubgraph(
    {
      resolvers: [AuthResolver, ClockResolver, UserResolver, PartnerResolver, CustomerResolver, RelationshipResolver, GroupResolver, ClientResolver, UserAdminResolver, JobResolver, AuditRecordResolver, WebhookResolver],
      orphanedTypes: [User, Partner, Customer, SecurityGroup],
    },
    {
      User: { __resolveReference: byReference((ctx) => ctx.loaders.user, userAllowed) },
      Partner: { __resolveReference: byReference((ctx) => ctx.loaders.partner, (ctx, p) => partnerAllowed(ctx, p.id)) },
      Customer: { __resolveReference: byReference((ctx) => ctx.loaders.customer, customerAllowed) },
      SecurityGroup: { __resolveReference: byReference((ctx) => ctx.loaders.group, groupAllowed) },
    },
  );
}
