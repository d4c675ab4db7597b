import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Express } from 'express';
import type { QueueDirectory, TokenVerifier } from '@csp/kernel/edge';
import { requireOperatorSession } from './operator-session';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board over every queue of the deployment (found in Redis, so new queues appear without
 * a deploy of the gateway). Operator only.
 */
export function mountJobDashboard(app: Express, queues: QueueDirectory, verify: TokenVerifier): void {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  const board = createBullBoard({ queues: [], serverAdapter: adapter, options: { uiConfig: { boardTitle: 'CSP jobs' } } });
  let known = '';
  let checkedAt = 0;
  const refresh = async () => {
    // Wall time here only throttles a Redis scan; it is not domain time.
    if (performance.now() - checkedAt < 2_000) return;
    checkedAt = performance.now();
    const names = await queues.names();
    if (names.join(',') === known) return;
    known = names.join(',');
    board.replaceQueues(names.map((n) => new BullMQAdapter(queues.get(n))));
  };
  app.use(DASHBOARD_PATH, requireOperatorSession(verify), async (_req, _res, next) => {
    await refresh().catch(() => undefined);
    next();
  }, adapter.getRouter());
}
