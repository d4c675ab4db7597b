import { Redis } from 'ioredis';
import { LockBusyError, withLock } from '@csp/kernel';
import { eventually, isolatedEnv } from '@csp/testkit';

/** A short lock that renews itself keeps long work exclusive; one that does not lapses after its TTL. */
const env = isolatedEnv('lock');
let redis: Redis;
beforeAll(() => {
  redis = new Redis(env.REDIS_URL!);
});
afterAll(() => redis.disconnect());

/** Holds the lock until `release` is called; resolves `held` once inside. */
function holder(key: string, renew: boolean) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const held = new Promise<void>((r) => (entered = r));
  const run = withLock(redis, key, async () => {
    entered();
    await done;
  }, { ttlMs: 1_000, renew });
  return { held, release, run };
}

it('renewed: still held, and refused to others, three TTLs later', async () => {
  const key = `${env.REDIS_PREFIX}:lock:test:renewed`;
  const h = holder(key, true);
  await h.held;
  const since = Date.now();
  // Wait for three TTLs of wall time to pass while the key stays (checked, not slept).
  await eventually(async () => {
    if ((await redis.exists(key)) !== 1) throw new Error('the renewed lock lapsed');
    return Date.now() - since > 3_000;
  }, 10_000);
  await expect(withLock(redis, key, async () => 'second', { waitMs: 50 })).rejects.toBeInstanceOf(LockBusyError);
  h.release();
  await h.run;
  expect(await redis.exists(key)).toBe(0);
});

it('not renewed: lapses after its TTL, so another holder may enter', async () => {
  const key = `${env.REDIS_PREFIX}:lock:test:plain`;
  const h = holder(key, false);
  await h.held;
  await eventually(async () => (await redis.exists(key)) === 0, 10_000);
  expect(await withLock(redis, key, async () => 'second', { waitMs: 50 })).toBe('second');
  h.release();
  await h.run;
});
