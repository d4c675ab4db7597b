import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';

/**
 * Subgraphs trust only the gateway (and each other's internal calls): every subgraph fetch and
 * every internal call carries this header, an HMAC over a timestamp, a nonce and the caller's
 * Authorization header with the deployment's shared INTERNAL_SECRET. A request without a valid
 * proof is refused with 401 before anything else runs (health, ready and metrics stay open).
 * The token is still verified by the subgraph: the proof says "came through us", not "who".
 */
export const INTERNAL_PROOF_HEADER = 'x-csp-internal-proof';

/** Proofs older (or further in the future) than this are refused: a captured header soon expires. */
export const INTERNAL_PROOF_MAX_SKEW_MS = 60_000;

export const internalEnv = {
  INTERNAL_SECRET: z.string().min(32, 'must be at least 32 characters, the same for the gateway and every service'),
};

const digest = (authorization: string | undefined) => createHash('sha256').update(authorization ?? '').digest('base64url');
const mac = (secret: string, t: number, nonce: string, authorization: string | undefined) =>
  createHmac('sha256', secret).update(`v1.${t}.${nonce}.${digest(authorization)}`).digest('base64url');

/** The header value for a request carrying `authorization` (real time: it guards transport, not business dates). */
export function signInternal(secret: string, authorization: string | undefined, nowMs = Date.now()): string {
  const nonce = randomBytes(9).toString('base64url');
  return `v1.${nowMs}.${nonce}.${mac(secret, nowMs, nonce, authorization)}`;
}

export function verifyInternal(secret: string, header: string | undefined, authorization: string | undefined, nowMs = Date.now()): boolean {
  const m = /^v1\.(\d{10,16})\.([A-Za-z0-9_-]{4,64})\.([A-Za-z0-9_-]{43})$/.exec(header ?? '');
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(nowMs - t) > INTERNAL_PROOF_MAX_SKEW_MS) return false;
  const expected = Buffer.from(mac(secret, t, m[2], authorization));
  const given = Buffer.from(m[3]);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Express middleware: 401 unless the request carries a valid proof. */
export function requireInternalProof(secret: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (verifyInternal(secret, req.header(INTERNAL_PROOF_HEADER), req.header('authorization'))) return next();
    res.status(401).json({
      errors: [{ message: 'This service answers only the gateway and other services of the platform.', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  };
}
