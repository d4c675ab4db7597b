import { ConfigError } from '@csp/kernel';
import { startGateway } from './server';

startGateway().catch((err) => {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `gateway failed to start: ${err?.stack ?? err}\n`);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
