import { Queue } from 'bullmq';
import { event, routes, type EventMap, type EventType } from '@csp/events';
import { bullPrefix, defaultJobOptions, eventQueueName, type Envelope, signAccessToken, SUBGRAPHS, subgraphUrlEnv, type Caller, type RunningSubgraph, type SubgraphName } from '@csp/kernel';
import { startAccessControl } from '@csp/svc-access-control/app';
import { startBilling } from '@csp/svc-billing/app';
import { startCatalog } from '@csp/svc-catalog/app';
import { startIdentity, JWKS_PATH } from '@csp/svc-identity/app';
import type { IdentityDeps } from '@csp/svc-identity/deps';
import { startSubscription } from '@csp/svc-subscription/app';
import { startSupport } from '@csp/svc-support/app';
import { startGateway, type RunningGateway } from '@csp/gateway/server';
import { contractOperation } from '@csp/fixtures';
import { graphql, type GraphQLResponse } from './client';
import { isolatedEnv } from './env';

const starters: Record<Exclude<SubgraphName, 'identity'>, (env: NodeJS.ProcessEnv, embedded: boolean) => Promise<RunningSubgraph<unknown>>> = {
  catalog: startCatalog as never,
  subscription: startSubscription as never,
  'access-control': startAccessControl as never,
  billing: startBilling as never,
  support: startSupport as never,
};

export const OPERATOR = { email: 'operator@test.example', password: 'operator-test-password' };

export interface Stack {
  env: NodeJS.ProcessEnv & { DB_PREFIX: string };
  gatewayUrl: string;
  services: Partial<Record<SubgraphName, RunningSubgraph<unknown>>>;
  identity: RunningSubgraph<IdentityDeps>;
  gateway?: RunningGateway;
  /** POST a query to the gateway. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<GraphQLResponse<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Run a contract operation (../shared/contract) by name through the gateway. */
  op<T = any>(name: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<GraphQLResponse<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A token signed by identity's real key for any kind of caller. */
  mint(caller: Partial<Caller> & Pick<Caller, 'userId' | 'kind'>, ttlSeconds?: number): Promise<string>;
  operatorToken(): Promise<string>;
  /**
   * Deliver an event to its consumers' queues as its publisher would (routes in @csp/events), so a
   * service can be tested before or without the publishing service. Resolves once enqueued.
   * `occurredAt` dates the fact earlier or later than now (a late delivery of an older fact).
   */
  publish<K extends EventType>(type: K, payload: EventMap[K], id?: string, occurredAt?: Date): Promise<Envelope<EventMap[K]>>;
  stop(): Promise<void>;
}

/**
 * Starts identity, the other subgraphs asked for and the gateway in this process, on free
 * ports, against this test file's own databases and Redis prefix.
 */
export async function startStack(
  tag: string,
  opts: { services?: SubgraphName[]; gateway?: boolean; env?: Record<string, string> } = {},
): Promise<Stack> {
  const env = isolatedEnv(tag, { OPERATOR_EMAIL: OPERATOR.email, OPERATOR_PASSWORD: OPERATOR.password, ...opts.env });
  const wanted = new Set(opts.services ?? SUBGRAPHS.map((s) => s.name));
  const dbEnv = (name: SubgraphName) => ({ ...env, MONGO_DB: `${env.DB_PREFIX}_${name.replace('-', '_')}` });

  const identity = await startIdentity(dbEnv('identity'), true);
  const jwksUrl = `${identity.url}${JWKS_PATH}`;
  const services: Stack['services'] = { identity: identity as RunningSubgraph<unknown> };
  const others = SUBGRAPHS.map((s) => s.name).filter((n): n is Exclude<SubgraphName, 'identity'> => n !== 'identity' && wanted.has(n));
  // access-control first: subscription and billing ask it for decisions (ACCESS_CONTROL_URL).
  if (others.includes('access-control')) {
    services['access-control'] = await starters['access-control']({ ...dbEnv('access-control'), JWKS_URL: jwksUrl }, true);
  }
  const accessControlUrl = services['access-control']?.url;
  // In the stack's env too: a worker started from it (provisioning asks whether OWNER is in force) finds it.
  if (accessControlUrl) env.ACCESS_CONTROL_URL = accessControlUrl;
  await Promise.all(
    others
      .filter((name) => name !== 'access-control')
      .map(async (name) => {
        services[name] = await starters[name](
          { ...dbEnv(name), JWKS_URL: jwksUrl, ...(accessControlUrl ? { ACCESS_CONTROL_URL: accessControlUrl } : {}), ...opts.env },
          true,
        );
      }),
  );
  let gateway: RunningGateway | undefined;
  let gatewayUrl = '';
  if (opts.gateway !== false) {
    const urls = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [subgraphUrlEnv(name as SubgraphName), `${s!.url}/graphql`]),
    );
    gateway = await startGateway({ ...env, JWKS_URL: jwksUrl, RATE_LIMIT_PER_MINUTE: '100000', LOGIN_RATE_LIMIT_PER_MINUTE: '100000', ...urls, ...opts.env }, true);
    gatewayUrl = `${gateway.url}/graphql`;
  }

  let opToken: string | undefined;
  const stack: Stack = {
    env,
    gatewayUrl,
    services,
    identity,
    gateway,
    gql: (query, variables = {}, token, headers) => graphql(gatewayUrl, query, variables, { token, headers }),
    op: (name, variables = {}, token, headers) => graphql(gatewayUrl, contractOperation(name).source, variables, { token, headers }),
    async mint(caller, ttlSeconds = 600) {
      // A partner or customer user minted without roles is its tenant's ADMIN (as tests assume).
      const tenantUser = caller.kind === 'PARTNER_USER' || caller.kind === 'CUSTOMER_USER';
      const full: Caller = { groupIds: [], scopes: [], ...caller, roles: caller.roles ?? (tenantUser ? ['ADMIN'] : []) };
      const { token } = await signAccessToken(await identity.deps.keys.signingKey(), full, {
        issuer: identity.rt.config.JWT_ISSUER,
        audience: identity.rt.config.JWT_AUDIENCE,
        ttlSeconds,
      });
      return token;
    },
    async operatorToken() {
      if (opToken) return opToken;
      const r = await stack.op('Login', OPERATOR);
      if (!r.data?.login) throw new Error(`operator login failed: ${JSON.stringify(r.errors)}`);
      opToken = r.data.login.accessToken as string;
      return opToken;
    },
    async publish(type, payload, id, occurredAt) {
      const ev = event(type, payload, identity.rt.clock, id);
      if (occurredAt) ev.occurredAt = occurredAt.toISOString();
      for (const consumer of routes[type]) {
        const q = new Queue(eventQueueName(consumer), { connection: identity.rt.redis, prefix: bullPrefix(env.REDIS_PREFIX!) });
        await q.add(type, ev, { ...defaultJobOptions, jobId: ev.id });
        await q.close();
      }
      return ev;
    },
    async stop() {
      await gateway?.shutdown.run();
      await Promise.all(Object.values(services).map((s) => s!.stop()));
    },
  };
  return stack;
}
