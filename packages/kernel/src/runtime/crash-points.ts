/**
 * Named points inside a flow where a test can make the process die, to prove the flow recovers
 * (sweepers, replays, idempotent steps). Never armed in production.
 *
 * - A spawned process dies for real (SIGKILL, nothing after runs) at the points named in
 *   `CSP_CRASH_AT` (comma-separated), read once at start.
 * - In-process tests arm a point with `armCrashPoint`: the next pass throws CrashPointError,
 *   so nothing after the point runs for that request, as if its process had died there.
 */
export class CrashPointError extends Error {
  constructor(readonly point: string) {
    super(`crash point ${point} reached (a test armed it)`);
  }
}

const fromEnv = new Set(process.env.NODE_ENV === 'production' ? [] : (process.env.CSP_CRASH_AT ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const armed = new Map<string, number>();

/** Arms `point` for its next `times` passes in this process (tests only). */
export function armCrashPoint(point: string, times = 1): void {
  armed.set(point, times);
}

export function disarmCrashPoints(): void {
  armed.clear();
}

/** Marks a named point of a flow: dies here when a test asked for it, else does nothing. */
export function crashPoint(point: string): void {
  if (fromEnv.has(point)) process.kill(process.pid, 'SIGKILL');
  const left = armed.get(point);
  if (!left) return;
  if (left <= 1) armed.delete(point);
  else armed.set(point, left - 1);
  throw new CrashPointError(point);
}
