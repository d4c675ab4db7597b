import { eventually, startStack, type Stack } from '@csp/testkit';
import { createCustomer, onboardPartner, seedMarkets } from './identity-fixtures';

/** Denied attempts leave a trace (issue 17): who tried what on whose tenant, and why it was refused. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('identity-audit-denied', { services: ['identity'] });
  await seedMarkets(stack);
});
afterAll(() => stack?.stop());

const REVOKE = 'mutation ($c: ID!) { revokeRelationship(customerId: $c) { relationship { status } } }';
const RECORDS = '{ auditRecords(first: 100) { totalCount edges { node { actor { id } action targetId outcome reason } } } }';

it("records a refused mutation, rate-limited, readable by the partner whose customer was targeted", async () => {
  const owner = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });
  const customer = await createCustomer(stack, owner.token, { country: 'DE' });
  const intruder = await onboardPartner(stack, { tier: 'DIRECT_PROVIDER', country: 'DE' });

  for (let i = 0; i < 30; i++) {
    const r = await stack.gql(REVOKE, { c: customer.id }, intruder.token);
    expect(r.errors?.[0]?.extensions?.code).toMatch(/NOT_FOUND|FORBIDDEN/);
  }
  type Node = { actor: { id: string }; action: string; targetId: string; outcome: string; reason: string };
  const denied = (r: { data?: { auditRecords: { edges: Array<{ node: Node }> } } }) =>
    (r.data?.auditRecords.edges ?? []).map((e) => e.node).filter((n) => n.outcome === 'DENIED' && n.actor.id === intruder.userId);
  const seen = await eventually(async () => {
    const r = await stack.gql(RECORDS, {}, owner.token);
    const d = r.data ? denied(r) : [];
    return d.length >= 20 && d;
  }, 20_000, 'denied attempts in the owner partner’s audit log');
  expect(seen[0]).toMatchObject({ action: 'identity.revokeRelationship', targetId: customer.id });
  expect(seen[0].reason).toMatch(/NOT_FOUND|FORBIDDEN/);
  // Rate-limited: a flood does not flood the log.
  expect(seen.length).toBe(20);
  // Allowed mutations keep their outcome.
  const mine = await stack.gql(RECORDS, {}, owner.token);
  expect(mine.data.auditRecords.edges.some((e: { node: { outcome: string } }) => e.node.outcome === 'DONE')).toBe(true);
});
