import type { MarketSnapshot } from '@csp/events';
import { eventually, type Stack } from '@csp/testkit';

/** Realistic markets as catalog publishes them (market.upserted). */
export const MARKETS: MarketSnapshot[] = [
  { code: 'DE', name: 'Germany', currency: 'EUR', countries: ['DE'] },
  { code: 'NORDIC', name: 'Nordics', currency: 'SEK', countries: ['SE', 'DK', 'FI', 'NO'] },
  { code: 'US', name: 'United States', currency: 'USD', countries: ['US'] },
  { code: 'UK', name: 'United Kingdom', currency: 'GBP', countries: ['GB'] },
];

/** The testkit's `eventually`, named first (these tests read better that way). */
export const until = <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> =>
  eventually(probe, timeoutMs, `waiting for ${what}`);

/** Feeds identity's market read model the way catalog does, and waits until it has them. */
export async function seedMarkets(stack: Stack, markets = MARKETS): Promise<void> {
  for (const m of markets) await stack.publish('market.upserted', m);
  const model = stack.identity.deps.markets;
  await until('identity to learn the markets', async () => (await model.countDocuments({ _id: { $in: markets.map((m) => m.code) } })) === markets.length);
}

export const ONBOARD = `mutation ($input: OnboardPartnerInput!) {
  onboardPartner(input: $input) {
    partner { id name tier country currency market { code } }
    adminUser { id email }
    adminAgentsGroup { id name members { id } }
  }
}`;

export interface Actor {
  id: string;
  /** Partners: the partner's name. */
  name?: string;
  userId: string;
  email: string;
  password: string;
  token: string;
}

let seq = 0;
export const unique = (s: string) => `${s}${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function login(stack: Stack, email: string, password: string): Promise<string> {
  const r = await stack.op('Login', { email, password });
  if (!r.data?.login) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
  return r.data.login.accessToken;
}

/** Onboards a partner through the gateway and signs its admin in. */
export async function onboardPartner(
  stack: Stack,
  input: { name?: string; tier: 'DIRECT_PROVIDER' | 'INDIRECT_PROVIDER' | 'INDIRECT_RESELLER'; country: string; currency?: string },
): Promise<Actor & { name: string }> {
  const name = input.name ?? unique('Partner ');
  const email = `${unique('admin')}@partner.example`;
  const password = 'partner-password-1';
  const r = await stack.gql(ONBOARD, { input: { ...input, name, adminEmail: email, adminPassword: password } }, await stack.operatorToken());
  if (!r.data?.onboardPartner) throw new Error(`onboarding failed: ${JSON.stringify(r.errors)}`);
  return { id: r.data.onboardPartner.partner.id, userId: r.data.onboardPartner.adminUser.id, name, email, password, token: await login(stack, email, password) };
}

/** Creates a customer through the gateway (contract CreateCustomer) and signs its admin in. */
export async function createCustomer(
  stack: Stack,
  partnerToken: string,
  input: { country: string; companyName?: string; domain?: string; associatedResellerId?: string },
): Promise<Actor & { domain: string; companyName: string }> {
  const companyName = input.companyName ?? unique('Company ');
  const domain = input.domain ?? `${unique('c')}.example`;
  const email = `admin@${domain}`;
  const password = 'customer-password-1';
  const r = await stack.op('CreateCustomer', { input: { ...input, companyName, domain, adminEmail: email, adminPassword: password } }, partnerToken);
  if (!r.data?.createCustomer) throw new Error(`customer creation failed: ${JSON.stringify(r.errors)}`);
  const c = r.data.createCustomer;
  return { id: c.customer.id, userId: c.adminUser.id, email, password, domain, companyName, token: await login(stack, email, password) };
}

/** Events waiting on a consumer's queue that no service of this stack consumes (what identity published). */
export async function queuedEvents(stack: Stack, consumer: 'billing' | 'access-control' | 'subscription', type?: string) {
  const { Queue } = await import('bullmq');
  const { bullPrefix, eventQueueName } = await import('@csp/kernel');
  const q = new Queue(eventQueueName(consumer), { connection: stack.identity.rt.redis, prefix: bullPrefix(stack.env.REDIS_PREFIX!) });
  try {
    const jobs = await q.getJobs(['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed']);
    return jobs.map((j) => j.data as { type: string; payload: Record<string, unknown> }).filter((e) => !type || e.type === type);
  } finally {
    await q.close();
  }
}

export const ACCEPT_RESELLER_LINK = `mutation ($d: ID!) { acceptResellerLink(distributorId: $d) { partner { id name tier } status } }`;

/** Two steps, as in the CSP program: the distributor invites (LinkReseller), the reseller's admin accepts. */
export async function linkReseller(stack: Stack, distributor: Actor, reseller: Actor): Promise<void> {
  const invited = await stack.op('LinkReseller', { resellerId: reseller.id }, distributor.token);
  if (invited.errors) throw new Error(`linkReseller failed: ${JSON.stringify(invited.errors)}`);
  const accepted = await stack.gql(ACCEPT_RESELLER_LINK, { d: distributor.id }, reseller.token);
  if (accepted.errors) throw new Error(`acceptResellerLink failed: ${JSON.stringify(accepted.errors)}`);
}
