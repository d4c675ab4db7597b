import { exportJWK, generateKeyPair } from 'jose';
import { AppError, createTokenVerifier, signAccessToken, TOKEN_ALG, type Caller, type TokenVerifier } from '../src';

/**
 * The verifier remembers a verified token until it expires. Only the system time moves (JWT
 * lifetimes follow it, not the platform clock): every timer stays real.
 */
const ISSUED = Date.UTC(2031, 4, 6, 12, 0, 0) / 1000;
const TTL = 600;
const caller: Caller = { userId: 'usr_1', kind: 'PARTNER_USER', partnerId: 'ptn_1', groupIds: ['grp_a'], scopes: [], roles: ['ADMIN'] };
let verify: TokenVerifier;
let token: string;

beforeAll(async () => {
  jest.useFakeTimers({
    now: ISSUED * 1000,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALG, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: TOKEN_ALG };
  verify = createTokenVerifier({ jwks: { keys: [jwk] }, issuer: 'iss', audience: 'aud' });
  ({ token } = await signAccessToken({ kid: 'k1', privateKey }, caller, { issuer: 'iss', audience: 'aud', ttlSeconds: TTL, nowSeconds: ISSUED }));
});
afterAll(() => jest.useRealTimers());

const expired = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/expired/) });

it('answers a remembered token as verified until it expires, then as expired (the memory never outlives exp)', async () => {
  jest.setSystemTime((ISSUED + 10) * 1000);
  expect(await verify(`Bearer ${token}`)).toEqual(caller);
  // Each answer is the caller's own copy: changing one does not change what is remembered.
  const copy = (await verify(`Bearer ${token}`))!;
  copy.roles.length = 0;
  copy.userId = 'someone-else';
  jest.setSystemTime((ISSUED + TTL - 1) * 1000);
  expect(await verify(`Bearer ${token}`)).toEqual(caller);
  // Past exp and jose's 5 s of tolerance: refused though it was verified (and remembered) before.
  jest.setSystemTime((ISSUED + TTL + 6) * 1000);
  await expired(verify(`Bearer ${token}`));
  await expired(verify(`Bearer ${token}`));
});

it('refuses a token that is not one, before and after a good one was remembered', async () => {
  jest.setSystemTime((ISSUED + 10) * 1000);
  await expect(verify(`Bearer ${token.slice(0, -4)}AAAA`)).rejects.toBeInstanceOf(AppError);
  expect(await verify(undefined)).toBeNull();
  await expect(verify('Basic abc')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
});
