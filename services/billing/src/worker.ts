import { startBillingWorker } from './worker-app';

startBillingWorker().catch((err) => {
  process.stderr.write(`billing worker failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
