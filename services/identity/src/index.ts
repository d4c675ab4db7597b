import { startIdentity } from './app';

startIdentity().catch((err) => {
  process.stderr.write(`identity failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
