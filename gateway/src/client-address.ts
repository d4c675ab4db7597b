import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** Header pair the gateway's own sign-in page uses to pass on its visitor's address. */
export const PAGE_CLIENT_HEADER = 'x-csp-page-client';
export const PAGE_SECRET_HEADER = 'x-csp-page-secret';

/**
 * The caller's address: the socket peer, or X-Forwarded-For when the peer is a proxy named in
 * TRUST_PROXY (Express's `trust proxy`), or the visitor of the gateway's own sign-in page when
 * that page (which calls /graphql itself) proves it with the shared secret.
 */
export function clientAddress(req: Request, pageSecret: string): string {
  const via = req.header(PAGE_CLIENT_HEADER);
  const proof = req.header(PAGE_SECRET_HEADER);
  if (via && proof && proof.length === pageSecret.length && timingSafeEqual(Buffer.from(proof), Buffer.from(pageSecret))) return via;
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** `trust proxy` from TRUST_PROXY: "" or "false" trusts nobody; else Express's list syntax. */
export function trustProxySetting(value: string | undefined): string | false {
  const v = (value ?? '').trim();
  return !v || v === 'false' ? false : v;
}
