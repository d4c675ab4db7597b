import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AWAIT_HEADER } from '@csp/kernel/edge';
import { parseAnswer, SubgraphClient } from '../src/subgraph-fetch';

/**
 * The gateway's subgraph client: keep-alive sockets, and identical in-flight queries of one
 * caller shared — never across callers, never for mutations. Against a real HTTP server that
 * holds each answer until told to release it (so "in flight at once" is certain, not timed).
 */
let server: Server;
let url: string;
const calls: Array<{ auth?: string; body: string; socket: unknown }> = [];
let release: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      calls.push({ auth: req.headers.authorization, body, socket: req.socket });
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { echo: body.length, n: calls.length } }));
      if (body.includes('hold')) release.push(answer);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  calls.length = 0;
  release = [];
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setImmediate(r));
};
const q = (text: string) => JSON.stringify({ query: text, variables: { id: 'x' } });

it('shares one in-flight query among identical calls of the same caller; each gets its own copy', async () => {
  const client = new SubgraphClient({ timeoutMs: 5_000 });
  const headers = { 'content-type': 'application/json', authorization: 'Bearer alice' };
  const all = [1, 2, 3].map(() => client.post(url, headers, q('query hold { a }')));
  await until(() => calls.length === 1 && release.length === 1);
  release.forEach((f) => f());
  const answers = (await Promise.all(all)).map(parseAnswer);
  expect(calls).toHaveLength(1);
  expect(answers[0]).toEqual(answers[1]);
  expect(answers[0]).not.toBe(answers[1]); // parsed per waiter: no shared mutable result
  expect(client.shared).toBe(2);
  await client.close();
});

it('never shares across callers, and never shares mutations', async () => {
  const client = new SubgraphClient({ timeoutMs: 5_000 });
  const as = (who: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${who}` });
  const both = [client.post(url, as('alice'), q('query hold { a }')), client.post(url, as('bob'), q('query hold { a }'))];
  const muts = [client.post(url, as('alice'), q('mutation hold { m }')), client.post(url, as('alice'), q('mutation hold { m }'))];
  await until(() => release.length === 4);
  release.forEach((f) => f());
  await Promise.all([...both, ...muts]);
  expect(calls.map((c) => c.auth).sort()).toEqual(['Bearer alice', 'Bearer alice', 'Bearer alice', 'Bearer bob']);
  expect(client.shared).toBe(0);
  await client.close();
});

it('a call that must await a write never takes the answer of one that need not', async () => {
  const client = new SubgraphClient({ timeoutMs: 5_000 });
  const alice = { 'content-type': 'application/json', authorization: 'Bearer alice' };
  const before = client.post(url, alice, q('query hold { a }'));
  const after = client.post(url, { ...alice, [AWAIT_HEADER]: 'CustomerCreated:c1' }, q('query hold { a }'));
  await until(() => release.length === 2);
  release.forEach((f) => f());
  await Promise.all([before, after]);
  expect(calls).toHaveLength(2);
  expect(client.shared).toBe(0);
  await client.close();
});

it('keeps sockets alive between calls', async () => {
  const client = new SubgraphClient({ timeoutMs: 5_000 });
  for (let i = 0; i < 10; i++) await client.post(url, { 'content-type': 'application/json' }, q(`query { n${i} }`));
  expect(calls).toHaveLength(10);
  expect(new Set(calls.map((c) => c.socket)).size).toBeLessThanOrEqual(5); // reused, not one per call (a busy machine may open a second or third)
  await client.close();
});

it('a subgraph that does not answer in time fails the call', async () => {
  const client = new SubgraphClient({ timeoutMs: 200 });
  await expect(client.post(url, { 'content-type': 'application/json' }, q('query hold { slow }'))).rejects.toThrow();
  release.forEach((f) => f());
  await client.close();
});
