import { AWAIT_HEADER } from '@csp/kernel';
import { graphql, startStack, storeCommandsOf, type Stack } from '@csp/testkit';

/**
 * Read-your-writes waits only for what a read of this service depends on: a partner whose last
 * write was an order (subscription events, which identity only forwards as webhooks) is not held
 * up on its next identity request, while a market it just published is waited for.
 */
let stack: Stack;
let operator: string;

beforeAll(async () => {
  stack = await startStack('identity-awaited', { services: ['identity'] });
  operator = await stack.operatorToken();
});
afterAll(() => stack?.stop());

/** `{ clock { now } }` sent to identity directly, as the gateway would, naming `awaited` events. */
const askIdentity = (awaited: string[]) =>
  storeCommandsOf(stack.identity.rt.mongo, (headers) =>
    graphql(`${stack.identity.url}/graphql`, '{ clock { now } }', {}, { token: operator, internal: stack.env.INTERNAL_SECRET, headers: { ...headers, [AWAIT_HEADER]: awaited.join(',') } }),
  );
const inboxLookups = (commands: string[]) => commands.filter((c) => c === 'find:inbox').length;

it('an event identity only forwards as a webhook is not waited for', async () => {
  const { result, commands } = await askIdentity([`subscription.activated:ev-never-delivered-${Date.now()}`]);
  expect(result.errors).toBeUndefined();
  expect(inboxLookups(commands)).toBe(0);
});

it('an event that feeds a read model of identity is waited for until applied', async () => {
  const ev = await stack.publish('market.upserted', { code: 'NL', name: 'Netherlands', currency: 'EUR', countries: ['NL'] });
  const { result, commands } = await askIdentity([`market.upserted:${ev.id}`]);
  expect(result.errors).toBeUndefined();
  expect(inboxLookups(commands)).toBeGreaterThan(0);
  // Answered only once the market was applied: identity knows it by then.
  expect(await stack.identity.deps.markets.countDocuments({ _id: 'NL' })).toBe(1);
});
