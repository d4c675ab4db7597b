import { redisKeys } from '@csp/kernel';
import type { Redis } from 'ioredis';

/**
 * Per issuer and month a gapless sequence: the number is remembered per invoice id, so a
 * retried job reuses the number it drew instead of drawing another.
 */
const DRAW = `
local n = redis.call('hget', KEYS[2], ARGV[1])
if n then return tonumber(n) end
n = redis.call('incr', KEYS[1])
redis.call('hset', KEYS[2], ARGV[1], n)
return n
`;

export async function invoiceNumber(redis: Redis, prefix: string, issuerId: string, period: string, invoiceId: string): Promise<string> {
  const base = redisKeys(prefix).invoiceSeq(issuerId, period);
  const seq = (await redis.eval(DRAW, 2, base, `${base}:drawn`, invoiceId)) as number;
  return `INV-${issuerShort(issuerId)}-${period.replace('-', '')}-${String(seq).padStart(4, '0')}`;
}

/** "VENDOR", or the tail of a partner id in capitals: short, and unique enough to read. */
export const issuerShort = (issuerId: string) => (issuerId === 'vendor' ? 'VENDOR' : issuerId.replace(/[^A-Za-z0-9]/g, '').slice(-6).toUpperCase());

/** Number taken (Redis lost its counter): draw past it. */
export async function skipNumber(redis: Redis, prefix: string, issuerId: string, period: string, invoiceId: string): Promise<void> {
  await redis.hdel(`${redisKeys(prefix).invoiceSeq(issuerId, period)}:drawn`, invoiceId);
}

/** Credit notes: their own gapless sequence per issuer and month, `CN-<issuer>-<YYYYMM>-<seq>`. */
export async function creditNoteNumber(redis: Redis, prefix: string, issuerId: string, period: string, noteId: string): Promise<string> {
  const base = redisKeys(prefix).creditNoteSeq(issuerId, period);
  const seq = (await redis.eval(DRAW, 2, base, `${base}:drawn`, noteId)) as number;
  return `CN-${issuerShort(issuerId)}-${period.replace('-', '')}-${String(seq).padStart(4, '0')}`;
}

export async function skipCreditNoteNumber(redis: Redis, prefix: string, issuerId: string, period: string, noteId: string): Promise<void> {
  await redis.hdel(`${redisKeys(prefix).creditNoteSeq(issuerId, period)}:drawn`, noteId);
}
