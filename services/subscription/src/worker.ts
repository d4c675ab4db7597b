// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): its instrumentations patch the modules loaded below.
import { startTracing } from '@csp/kernel/dist/runtime/tracing';
startTracing('subscription-worker');
import { startSubscriptionWorker } from './worker-app';

startSubscriptionWorker().catch((err) => {
  process.stderr.write(`subscription worker failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
