import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-csp-signature';
export const TIMESTAMP_HEADER = 'x-csp-timestamp';
export const EVENT_ID_HEADER = 'x-csp-event-id';

/** Every signature a delivery carries: the current secret's, and during a rotation's overlap the previous one's. */
export const signatures = (secrets: string[], timestamp: number, body: string) => secrets.map((s) => sign(s, timestamp, body)).join(',');

/** HMAC-SHA256 over `${timestamp}.${body}` with the endpoint's secret, as `v1=<hex>`. */
export const sign = (secret: string, timestamp: number, body: string) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/**
 * The receiver's check, as in the README: a valid signature and a timestamp at most
 * `toleranceSeconds` from the receiver's clock (a replayed old delivery is refused).
 */
export function verifySignature(secret: string, timestamp: string, signature: string, body: string, nowMs: number, toleranceSeconds = 300): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowMs / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, ts, body));
  return signature.split(',').some((sig) => {
    const given = Buffer.from(sig.trim());
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
