import { badInput } from '../graph/errors';

/**
 * Characters a name must not hold: controls (C0, DEL, C1), bidirectional overrides, embeddings,
 * isolates and marks (they make "Evil\u202Egnp.exe" read as "Evilexe.png"), and zero-width ones
 * (they make two names look alike).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

export const hasUnsafeText = (s: string) => UNSAFE.test(s);

/** Why `value` is not a clean name of 1..max characters, or undefined. */
export function nameProblem(value: unknown, max: number, what = 'name'): string | undefined {
  if (typeof value !== 'string') return `${what} must be text`;
  const v = value.normalize('NFC').trim();
  if (!v || v.length > max) return `${what} must have 1 to ${max} characters`;
  if (UNSAFE.test(v)) return `${what} must not hold control, bidirectional-override or zero-width characters`;
  return undefined;
}

/** A display name, NFC-normalised and trimmed, or BAD_USER_INPUT naming `field`. */
export function cleanName(value: string, field: string, max: number): string {
  const problem = nameProblem(value, max, field);
  if (problem) throw badInput(`${problem}.`, field);
  return value.normalize('NFC').trim();
}

/** An optional name: null/empty stays absent. */
export function optionalName(value: string | null | undefined, field: string, max: number): string | undefined {
  if (value == null || !value.trim()) return undefined;
  return cleanName(value, field, max);
}
