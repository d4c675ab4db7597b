import { startSupport } from './app';

startSupport().catch((err) => {
  process.stderr.write(`support failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
