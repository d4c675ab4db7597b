import { buildSubgraph } from '@csp/kernel';
import DataLoader from 'dataloader';
import type { GraphQLSchema } from 'graphql';
import { AuthResolver } from './auth/auth.resolver';
import { ClockResolver } from './clock/clock.resolver';
import type { IdentityContext } from './context';
import { toUser, User } from './users/user.type';

/** The identity subgraph schema; pure (no stores), so composition can print it offline. */
export function buildIdentitySchema(): Promise<GraphQLSchema> {
  return buildSubgraph(
    { resolvers: [AuthResolver, ClockResolver], orphanedTypes: [User] },
    {
      User: { __resolveReference: (ref: { id: string }, ctx: IdentityContext) => ctx.loaders.user.load(ref.id) },
    },
  );
}

/** Per-request batch loaders: one store query per entity type per request. */
export function identityLoaders(deps: IdentityContext['deps']) {
  return {
    user: new DataLoader<string, User | null>(async (ids) => {
      const docs = await deps.users.find({ _id: { $in: [...ids] } }).lean();
      const byId = new Map(docs.map((d) => [d._id, toUser(d)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
