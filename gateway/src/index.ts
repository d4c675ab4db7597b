// Tracing first (when OTEL_EXPORTER_OTLP_ENDPOINT is set): its instrumentations patch the modules loaded below.
import { startTracing } from '@csp/kernel/dist/runtime/tracing';
startTracing('gateway');
import { ConfigError } from '@csp/kernel';
import { startGateway } from './server';

startGateway().catch((err) => {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `gateway failed to start: ${err?.stack ?? err}\n`);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
