// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): its instrumentations patch the modules loaded below.
import { startTracing } from '@csp/kernel/dist/runtime/tracing';
startTracing('subscription');
import { startSubscription } from './app';

startSubscription().catch((err) => {
  process.stderr.write(`subscription failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
