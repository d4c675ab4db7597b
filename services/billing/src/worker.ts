// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): its instrumentations patch the modules loaded below.
import { startTracing } from '@csp/kernel/dist/runtime/tracing';
startTracing('billing-worker');
import { ConfigError } from '@csp/kernel';
import { startBillingWorker } from './worker-app';

startBillingWorker().catch((err) => {
  // A bad setting is one line naming the variable, as for the runtime's own settings.
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`billing worker failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
