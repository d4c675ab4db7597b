// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): its instrumentations patch the modules loaded below.
import { startTracing } from '@csp/kernel/dist/runtime/tracing';
startTracing('identity');
import { startIdentity } from './app';

startIdentity().catch((err) => {
  process.stderr.write(`identity failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
