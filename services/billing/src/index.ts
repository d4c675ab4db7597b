import { startBilling } from './app';

startBilling().catch((err) => {
  process.stderr.write(`billing failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
