import { startAccessControl } from './app';

startAccessControl().catch((err) => {
  process.stderr.write(`access-control failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
