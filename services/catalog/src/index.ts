import { startCatalog } from './app';

startCatalog().catch((err) => {
  process.stderr.write(`catalog failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
