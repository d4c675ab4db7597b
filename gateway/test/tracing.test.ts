import { Queue } from 'bullmq';
import { auditModel, bullPrefix, eventQueueName } from '@csp/kernel';
import { startStack, type Stack } from '@csp/testkit';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('tracing', { services: ['identity'] });
});
afterAll(() => stack?.stop());

it('the request id travels gateway → subgraph → store → event job', async () => {
  const requestId = `trace-${Math.random().toString(36).slice(2)}`;
  const r = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.operatorToken()}`, 'x-request-id': requestId },
    body: JSON.stringify({ query: 'mutation { advanceClock(to: "2099-01-01T00:00:00Z") { now } }' }),
  });
  expect((await r.json()).errors).toBeUndefined();

  // The subgraph saw the gateway's request id: its audit record carries it…
  const audit = auditModel(stack.identity.rt.mongo.connection);
  let record;
  for (let i = 0; i < 50 && !record; i++) {
    record = await audit.findOne({ requestId, action: 'identity.advanceClock' }).lean();
    if (!record) await new Promise((res) => setTimeout(res, 50));
  }
  expect(record).toMatchObject({ requestId, actorKind: 'OPERATOR', service: 'identity' });

  // …and so does the event job the outbox relay queued for the audit log's consumer.
  const queue = new Queue(eventQueueName('identity'), { connection: stack.identity.rt.redis, prefix: bullPrefix(stack.env.REDIS_PREFIX!) });
  let job;
  for (let i = 0; i < 50 && !job; i++) {
    job = await queue.getJob(record!._id);
    if (!job) await new Promise((res) => setTimeout(res, 50));
  }
  await queue.close();
  expect(job?.data).toMatchObject({ type: 'audit.recorded', requestId });
});
