import { startSubscription } from './app';

startSubscription().catch((err) => {
  process.stderr.write(`subscription failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
