import { Redis } from 'ioredis';
import { redisKeys } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';
import { OwnerGrantSignal } from '../src/assignments/owner-grant-signal';

/**
 * The worker's wait for an OWNER grant ends on the grant's seeding, in whichever replica the
 * event's consumer ran — not on the next look at the store. Each wait below would outlast the
 * test's timeout if no wake-up came.
 */
const env = isolatedEnv('ownergrantsignal');
const channel = redisKeys(env.REDIS_PREFIX!).ownerGrantSeeded;
const connections: Redis[] = [];
const redis = () => {
  const r = new Redis(env.REDIS_URL!);
  connections.push(r);
  return r;
};
let seeding: OwnerGrantSignal;
let waiting: OwnerGrantSignal;
const FOREVER = 10 * 60_000;

beforeAll(async () => {
  // Two replicas: one consumes the event and seeds the grant, the other holds the worker's request.
  seeding = new OwnerGrantSignal(redis(), channel);
  waiting = new OwnerGrantSignal(redis(), channel);
  await seeding.start(redis());
  await waiting.start(redis());
});
afterAll(() => connections.forEach((c) => c.disconnect()));

it("a grant seeded in another replica ends this replica's wait", async () => {
  const wait = waiting.listen('sub_sig1');
  const woken = wait.next(FOREVER);
  await seeding.seeded('sub_sig1');
  await woken;
  wait.close();
});

it('a grant seeded between the look at the store and the wait is not missed', async () => {
  const wait = seeding.listen('sub_sig2');
  await seeding.seeded('sub_sig2');
  await wait.next(FOREVER);
  wait.close();
});

it("another subscription's grant does not end the wait", async () => {
  const mine = waiting.listen('sub_sig3');
  const other = waiting.listen('sub_other');
  let woken = false;
  const next = mine.next(FOREVER).then(() => (woken = true));
  await seeding.seeded('sub_other');
  await other.next(FOREVER); // the other grant's message has reached this replica…
  expect(woken).toBe(false); // …and left this wait alone
  await seeding.seeded('sub_sig3');
  await next;
  mine.close();
  other.close();
});
