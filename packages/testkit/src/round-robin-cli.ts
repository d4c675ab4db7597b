import { roundRobinProxy } from './round-robin';

/**
 * The round-robin balancer as a process, for `REPLICAS=… make up`: listens on PORT and sends each
 * request to the next of TARGETS (comma-separated base URLs), as a cluster's service would.
 */
const port = Number(process.env.PORT);
const targets = (process.env.TARGETS ?? '').split(',').map((t) => t.trim()).filter(Boolean);
if (!Number.isInteger(port) || port <= 0 || targets.length === 0) {
  process.stderr.write('round-robin: PORT (a port number) and TARGETS (comma-separated base URLs) are required\n');
  process.exit(78);
}
void roundRobinProxy(targets, port).then((p) => {
  process.stdout.write(`${JSON.stringify({ level: 30, service: 'round-robin', msg: `listening on ${p.url}, to ${targets.join(' ')}` })}\n`);
  const stop = () => void p.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
