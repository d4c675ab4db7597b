import { startSubscriptionWorker } from './worker-app';

startSubscriptionWorker().catch((err) => {
  process.stderr.write(`subscription worker failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
