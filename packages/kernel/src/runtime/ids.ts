import { randomBytes } from 'node:crypto';

/**
 * Time-ordered ids (`cus_0k3v...`): ascending `_id` is creation order, which gives stable
 * cursor pages. The timestamp is a technical ordering key, not domain time.
 */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  return `${prefix}_${time}${randomBytes(8).toString('hex')}`;
}
