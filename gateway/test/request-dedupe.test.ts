import { ApolloServer } from '@apollo/server';
import type { GatewayContext } from '../src/context';
import { requestDedupePlugin } from '../src/request-dedupe';

/**
 * Identical in-flight queries of one caller answered by one execution — never across callers,
 * never for mutations, never between calls awaiting different writes. A real Apollo Server whose
 * resolvers hold their answer until released, so "in flight at once" is certain, not timed.
 */
let executions: string[] = [];
let release: Array<() => void> = [];
const held = (name: string) => () => {
  executions.push(name);
  return new Promise<number>((resolve) => release.push(() => resolve(executions.length)));
};
const server = new ApolloServer<GatewayContext>({
  typeDefs: 'type Query { page(id: ID!): Int } type Mutation { touch: Int }',
  resolvers: { Query: { page: held('page') }, Mutation: { touch: held('touch') } },
  plugins: [requestDedupePlugin()],
});
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  executions = [];
  release = [];
});

const context = (who: string, writes: string[] = []): GatewayContext =>
  ({ caller: { userId: who } as never, authorization: `Bearer ${who}`, requestId: 'r', writes, ownWrites: 0, clientAddress: '127.0.0.1' });
const ask = (query: string, ctx: GatewayContext, variables: Record<string, unknown> = { id: 'c1' }) =>
  server.executeOperation({ query, variables }, { contextValue: ctx }).then((r) => (r.body.kind === 'single' ? r.body.singleResult : undefined));
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setImmediate(r));
};

it('answers identical in-flight queries of one caller with one execution', async () => {
  const all = [1, 2, 3].map(() => ask('query P($id: ID!) { page(id: $id) }', context('alice')));
  await until(() => release.length === 1);
  release.forEach((f) => f());
  const answers = await Promise.all(all);
  expect(executions).toEqual(['page']);
  expect(answers).toEqual([{ data: { page: 1 } }, { data: { page: 1 } }, { data: { page: 1 } }]);
});

it('never shares across callers, variables, writes awaited or for mutations', async () => {
  const all = [
    ask('query P($id: ID!) { page(id: $id) }', context('alice')),
    ask('query P($id: ID!) { page(id: $id) }', context('bob')),
    ask('query P($id: ID!) { page(id: $id) }', context('alice'), { id: 'c2' }),
    ask('query P($id: ID!) { page(id: $id) }', context('alice', ['CustomerCreated:c1'])),
    ask('mutation { touch }', context('alice')),
    ask('mutation { touch }', context('alice')),
  ];
  await until(() => release.length === 6);
  release.forEach((f) => f());
  await Promise.all(all);
  expect(executions.sort()).toEqual(['page', 'page', 'page', 'page', 'touch', 'touch']);
});

it('a later identical query runs again once the first has answered', async () => {
  const first = ask('{ page(id: "c1") }', context('alice'));
  await until(() => release.length === 1);
  release.forEach((f) => f());
  await first;
  const second = ask('{ page(id: "c1") }', context('alice'));
  await until(() => release.length === 2);
  release.forEach((f) => f());
  expect(await second).toEqual({ data: { page: 2 } });
  expect(executions).toEqual(['page', 'page']);
});
