import { ConfigError, parseConfig } from './config';
import { startTracing, tracingEnv } from './tracing';

/**
 * The entry point of every process (each subgraph, each worker, the gateway): its `index.ts` or
 * `worker.ts` is one call to this.
 *
 * Tracing starts first, so `start` should load the app itself (`() => import('./app')…`): the
 * instrumentations then patch the modules as the app requires them. A bad setting — the
 * runtime's or the service's own — ends the process with the one line naming the variable and
 * exit code 78 (EX_CONFIG); any other failure to start with its stack and exit code 1.
 */
export function runProcess(name: string, start: () => Promise<unknown>): void {
  const started = async () => {
    parseConfig(tracingEnv);
    startTracing(name);
    return start();
  };
  started().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`${name} failed to start: ${(err as Error | undefined)?.stack ?? String(err)}\n`);
    process.exit(1);
  });
}
