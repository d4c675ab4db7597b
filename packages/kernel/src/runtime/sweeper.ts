import type { Clock } from './clock';
import type { Logger } from './logger';

export interface Sweeper {
  /** Runs one sweep now (or joins the one running); resolves when it is done. */
  sweep(): Promise<void>;
  stop(): void;
}

/**
 * The one polling loop of a process's background work: `sweep` runs at start, every `everyMs`
 * and whenever the platform clock jumps (test clock), never twice at once. A failed sweep is
 * logged and tried again next time; the work it does must be idempotent, because every replica
 * sweeps.
 */
export function startSweeper(opts: { name: string; clock: Clock; logger: Logger; everyMs: number; sweep: () => Promise<void> }): Sweeper {
  let running: Promise<void> | undefined;
  const sweep = (): Promise<void> =>
    (running ??= (async () => {
      try {
        await opts.sweep();
      } catch (err) {
        opts.logger.error({ err, sweeper: opts.name }, `${opts.name} failed; will retry`);
      } finally {
        running = undefined;
      }
    })());
  const off = opts.clock.onAdvance(() => void sweep());
  const timer = setInterval(() => void sweep(), opts.everyMs);
  timer.unref();
  void sweep();
  return {
    sweep,
    stop() {
      off();
      clearInterval(timer);
    },
  };
}
