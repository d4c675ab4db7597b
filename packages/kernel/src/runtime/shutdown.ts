import type { Logger } from './logger';

type Step = { name: string; run: () => Promise<unknown> | unknown };

/**
 * Graceful shutdown: work steps first (stop taking work, finish in-flight requests and jobs),
 * then final steps (close stores). SIGTERM/SIGINT trigger it once; a second signal or a hung step
 * past the deadline forces exit.
 */
export class Shutdown {
  private readonly steps: Step[] = [];
  private readonly finals: Step[] = [];
  private running?: Promise<void>;

  constructor(private readonly logger: Logger, private readonly deadlineMs = 15_000) {}

  /** Stop taking work / finish in-flight work; runs in registration order. */
  add(name: string, run: Step['run']): this {
    this.steps.push({ name, run });
    return this;
  }

  /** Close a store or connection; runs after every `add` step, in registration order. */
  addFinal(name: string, run: Step['run']): this {
    this.finals.push({ name, run });
    return this;
  }

  listen(): this {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.running) {
        this.logger.warn({ signal }, 'second signal, exiting now');
        process.exit(1);
      }
      this.logger.info({ signal }, 'shutting down');
      const timer = setTimeout(() => {
        this.logger.error('shutdown deadline passed, exiting');
        process.exit(1);
      }, this.deadlineMs);
      timer.unref();
      void this.run().then(() => process.exit(0));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    return this;
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of [...this.steps, ...this.finals]) {
        try {
          await step.run();
        } catch (err) {
          this.logger.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
    })();
    return this.running;
  }
}
