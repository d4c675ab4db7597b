// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): its instrumentations patch the modules loaded below.
import { startTracing } from '@csp/kernel/dist/runtime/tracing';
startTracing('catalog');
import { startCatalog } from './app';

startCatalog().catch((err) => {
  process.stderr.write(`catalog failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
