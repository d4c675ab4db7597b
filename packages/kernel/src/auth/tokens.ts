import { SignJWT, createLocalJWKSet, createRemoteJWKSet, jwtVerify, errors, type JWTVerifyGetKey, type CryptoKey, type JWK } from 'jose';
import { AppError } from '../graph/errors';
import { callerFromClaims, claimsFromCaller, type AccessClaims, type Caller } from './caller';

export const TOKEN_ALG = 'ES256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

export async function signAccessToken(
  key: SigningKey,
  caller: Caller,
  opts: { issuer: string; audience: string; ttlSeconds: number; nowSeconds?: number },
): Promise<{ token: string; expiresAt: Date }> {
  // JWT lifetimes follow real time, not the test clock: they guard access, not business dates.
  const iat = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const exp = iat + opts.ttlSeconds;
  const token = await new SignJWT({ ...claimsFromCaller(caller) } as unknown as Record<string, unknown>)
    .setProtectedHeader({ alg: TOKEN_ALG, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setSubject(caller.userId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
  return { token, expiresAt: new Date(exp * 1000) };
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Caller | null>;

/**
 * Verifies `Authorization: Bearer <jwt>` against the identity service's JWKS.
 * No header: anonymous (null). Any bad token: UNAUTHENTICATED — never silently anonymous.
 */
/** A remembered caller as one request's own: its lists too, so no request changes another's. */
const ownCopy = (c: Caller): Caller => ({ ...c, groupIds: [...c.groupIds], scopes: [...c.scopes], roles: [...c.roles] });

/** Verified tokens remembered per process (a bound on memory, not a policy). */
const MAX_VERIFIED = 10_000;

export function createTokenVerifier(opts: {
  jwks: string | JWTVerifyGetKey | { keys: JWK[] };
  issuer: string;
  audience: string;
}): TokenVerifier {
  const getKey: JWTVerifyGetKey =
    typeof opts.jwks === 'string'
      ? createRemoteJWKSet(new URL(opts.jwks), { cooldownDuration: 5_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 3_000 })
      : typeof opts.jwks === 'function'
        ? opts.jwks
        : createLocalJWKSet(opts.jwks);
  // A token's verdict cannot change before it expires (the check is its signature and claims, and
  // jose compares `exp` with the system time as below): each process verifies a token once
  // instead of on every request and subgraph call (ES256 verification was ~8 % of a gateway's CPU).
  const verified = new Map<string, { caller: Caller; exp: number }>();
  return async (authorization) => {
    if (!authorization) return null;
    const m = /^Bearer\s+([A-Za-z0-9_.-]+)$/i.exec(authorization.trim());
    if (!m) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
    const hit = verified.get(m[1]);
    if (hit && Date.now() / 1000 < hit.exp) return ownCopy(hit.caller);
    try {
      const { payload } = await jwtVerify(m[1], getKey, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: [TOKEN_ALG],
        clockTolerance: 5,
      });
      if (typeof payload.sub !== 'string' || typeof payload.kind !== 'string') {
        throw new AppError('UNAUTHENTICATED', 'The access token lacks the claims this graph needs.');
      }
      const caller = callerFromClaims(payload as unknown as AccessClaims);
      if (typeof payload.exp === 'number') {
        if (verified.size >= MAX_VERIFIED) verified.clear();
        verified.set(m[1], { caller, exp: payload.exp });
      }
      return ownCopy(caller);
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof errors.JWTExpired) throw new AppError('UNAUTHENTICATED', 'The access token has expired; sign in again.');
      throw new AppError('UNAUTHENTICATED', 'The access token is not valid.');
    }
  };
}
