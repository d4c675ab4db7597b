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

/** "VENDOR", or the tail of a partner id in capitals: short, and unique enough to read. */
export const issuerShort = (issuerId: string) => (issuerId === 'vendor' ? 'VENDOR' : issuerId.replace(/[^A-Za-z0-9]/g, '').slice(-6).toUpperCase());

/**
 * Invoice and credit-note numbers (redis-keys' billing sequences): what billing's domain code
 * holds instead of the Redis connection.
 */
export class DocumentNumbers {
  private readonly keys: ReturnType<typeof redisKeys>;

  constructor(private readonly redis: Redis, prefix: string) {
    this.keys = redisKeys(prefix);
  }

  /** `INV-<issuer>-<YYYYMM>-<seq>`. */
  async invoice(issuerId: string, period: string, invoiceId: string): Promise<string> {
    return `INV-${issuerShort(issuerId)}-${period.replace('-', '')}-${await this.draw(this.keys.invoiceSeq(issuerId, period), invoiceId)}`;
  }

  /** Number taken (Redis lost its counter): draw past it. */
  async skipInvoice(issuerId: string, period: string, invoiceId: string): Promise<void> {
    await this.redis.hdel(`${this.keys.invoiceSeq(issuerId, period)}:drawn`, invoiceId);
  }

  /** Credit notes: their own gapless sequence per issuer and month, `CN-<issuer>-<YYYYMM>-<seq>`. */
  async creditNote(issuerId: string, period: string, noteId: string): Promise<string> {
    return `CN-${issuerShort(issuerId)}-${period.replace('-', '')}-${await this.draw(this.keys.creditNoteSeq(issuerId, period), noteId)}`;
  }

  async skipCreditNote(issuerId: string, period: string, noteId: string): Promise<void> {
    await this.redis.hdel(`${this.keys.creditNoteSeq(issuerId, period)}:drawn`, noteId);
  }

  private async draw(base: string, id: string): Promise<string> {
    const seq = (await this.redis.eval(DRAW, 2, base, `${base}:drawn`, id)) as number;
    return String(seq).padStart(4, '0');
  }
}
