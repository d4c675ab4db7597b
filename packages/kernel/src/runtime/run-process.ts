import { ConfigError, parseConfig, processEnv, type EnvShape, type ProcessSpec } from './config';
import { startTracing, tracingEnv } from './tracing';

/** A service's process (its config.ts declares it), or another's name and every variable it reads (the gateway). */
export type ProcessDeclaration = ProcessSpec | { name: string; env: EnvShape };

/**
 * The entry point of every process (each subgraph, each worker, the gateway): its `index.ts` or
 * `worker.ts` is one call to this.
 *
 * The whole environment is checked first, before the app is even loaded (a crash loop then costs
 * no module loading): a bad value — the runtime's or the service's own — ends the process with
 * the one line naming the variable and exit code 78 (EX_CONFIG). Tracing starts next, so `start`
 * loads the app itself (`() => import('./app')…`) and the instrumentations patch its modules as
 * they are required. Any other failure to start: its stack and exit code 1.
 */
export function runProcess(declared: ProcessDeclaration, start: () => Promise<unknown>): void {
  const started = async () => {
    parseConfig({ ...tracingEnv, ...('env' in declared ? declared.env : processEnv(declared)) });
    startTracing(declared.name);
    return start();
  };
  started().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`${declared.name} failed to start: ${(err as Error | undefined)?.stack ?? String(err)}\n`);
    process.exit(1);
  });
}
