// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): its instrumentations patch the modules loaded below.
import { startTracing } from '@csp/kernel/dist/runtime/tracing';
startTracing('access-control');
import { startAccessControl } from './app';

startAccessControl().catch((err) => {
  process.stderr.write(`access-control failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
