/**
 * Asks `probe` until it answers something truthy or `timeoutMs` of real time has passed (a
 * deadline for a waiting caller, never the platform clock); `undefined` when time ran out. The
 * pause starts at `pauseMs` and doubles up to `maxPauseMs`, so a long wait adds little load.
 * A probe that throws ends the wait with its error, unless `retryErrors` keeps asking (the
 * last error then comes back in the timeout).
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined | null | false>,
  opts: { timeoutMs: number; pauseMs?: number; maxPauseMs?: number; retryErrors?: boolean },
): Promise<{ value?: T; lastError?: unknown }> {
  const deadline = performance.now() + opts.timeoutMs;
  const first = opts.pauseMs ?? 25;
  let lastError: unknown;
  for (let pause = first; ; pause = Math.min(pause * 2, opts.maxPauseMs ?? first)) {
    try {
      const value = await probe();
      if (value) return { value };
    } catch (err) {
      if (!opts.retryErrors) throw err;
      lastError = err;
    }
    const left = deadline - performance.now();
    if (left <= 0) return { lastError };
    await new Promise((r) => setTimeout(r, Math.min(pause, left)));
  }
}
