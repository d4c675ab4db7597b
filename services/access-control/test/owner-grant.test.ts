import { createAccessClient, OWNER_GRANT_PATH } from '@csp/access-client';
import { startStack, type Stack } from '@csp/testkit';
import { relationshipId } from '../src/directory/relationship.model';
import { accessDeps, createCustomer, eventually, onboardPartner, subFacts } from './helpers';

/**
 * POST /internal/owner-grant: the provisioning worker's question "is the partner's OWNER grant on
 * this subscription in force?" — the seed grant from `subscription.created`, known under that
 * customer, its tier-2 condition met. The answer waits (bounded) for a grant on its way.
 */
let stack: Stack;
let ask: (subscriptionId: string, customerId: string) => Promise<boolean>;
const P = 'ptn_ownergrant';
const P_AGENTS = 'grp_ownergrantagents';
const D = 'ptn_ogdist';
const R = 'ptn_ogresel';
const R_AGENTS = 'grp_ogreselagents';
const C = 'cus_ownergrant';
const WAIT_MS = 2_500;

beforeAll(async () => {
  stack = await startStack('access-ownergrant', { services: ['access-control'], env: { OWNER_GRANT_WAIT_MS: String(WAIT_MS) } });
  await onboardPartner(stack, P, P_AGENTS);
  await onboardPartner(stack, D, 'grp_ogdistagents', 'INDIRECT_PROVIDER');
  await onboardPartner(stack, R, R_AGENTS, 'INDIRECT_RESELLER');
  await stack.publish('reseller.linked', { distributorId: D, resellerId: R });
  await createCustomer(stack, C, P);
  await eventually(async () => (await accessDeps(stack).models.partners.countDocuments({ tier: { $exists: true } })) === 3);
  // The real client, as the worker uses it; its timeout is above the endpoint's wait.
  const client = createAccessClient({ url: stack.services['access-control']!.url, internalSecret: stack.env.INTERNAL_SECRET!, timeoutMs: WAIT_MS + 5_000 });
  ask = (s, c) => client.ownerGrantInForce(s, c);
});
afterAll(() => stack?.stop());

it('a grant on its way is waited for: asked right after subscription.created, the answer is yes', async () => {
  await stack.publish('subscription.created', { ...subFacts('sub_og1', C, P), adminAgentsGroupId: P_AGENTS });
  expect(await ask('sub_og1', C)).toBe(true);
  const grant = await accessDeps(stack).models.assignments.findOne({ scope: `/customers/${C}/subscriptions/sub_og1` }).lean();
  expect(grant).toMatchObject({ principalId: P_AGENTS, role: 'OWNER', source: 'PROVISIONING' });
});

it('no grant: no, after the bounded wait', async () => {
  // Created without its partner's group (a fact nobody seeds OWNER for): known, but no grant.
  await stack.publish('subscription.created', subFacts('sub_og2', C, P));
  await eventually(() => accessDeps(stack).models.subscriptions.findById('sub_og2').lean());
  const started = performance.now();
  expect(await ask('sub_og2', C)).toBe(false);
  expect(performance.now() - started).toBeGreaterThanOrEqual(WAIT_MS);
  expect(await ask('sub_never', C)).toBe(false);
});

it('asked under another customer than the subscription is: no', async () => {
  expect(await ask('sub_og1', C)).toBe(true);
  expect(await ask('sub_og1', 'cus_someoneelse')).toBe(false);
});

it("a reseller's grant is in force only while the reseller holds a relationship with the customer", async () => {
  await stack.publish('relationship.established', { customerId: C, partnerId: R });
  await stack.publish('subscription.created', { ...subFacts('sub_og3', C, D, { resellerId: R }), adminAgentsGroupId: R_AGENTS });
  expect(await ask('sub_og3', C)).toBe(true);
  await stack.publish('relationship.revoked', { customerId: C, partnerId: R });
  await eventually(async () => (await accessDeps(stack).models.relationships.findById(relationshipId(R, C)).lean())?.status === 'REVOKED');
  expect(await ask('sub_og3', C)).toBe(false);
});

it('answers only the platform (internal proof) and only a well-formed question', async () => {
  const url = `${stack.services['access-control']!.url}${OWNER_GRANT_PATH}`;
  const unproven = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subscriptionId: 'sub_og1', customerId: C }) });
  expect(unproven.status).toBe(401);
  const client = createAccessClient({ url: stack.services['access-control']!.url, internalSecret: stack.env.INTERNAL_SECRET! });
  await expect(client.ownerGrantInForce('sub og1', C)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
});
