import { badInput } from '@csp/kernel';

export const TITLE_MAX = 200;
export const BODY_MAX = 10_000;

/** Trimmed text that must be present and not too long; the error names the limit. */
export function text(field: string, value: string | undefined | null, max: number): string {
  const v = (value ?? '').trim();
  if (!v) throw badInput(`${field} must not be empty.`, field);
  if (v.length > max) throw badInput(`${field} is too long: at most ${max} characters, got ${v.length}.`, field);
  return v;
}
