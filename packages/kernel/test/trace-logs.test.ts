import { Writable } from 'node:stream';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createLogger, currentTraceparent, runWithRequestId } from '@csp/kernel';

/** A log line written inside a traced request carries the trace id next to the request id. */
it('logs traceId and spanId next to requestId inside a trace, and neither outside one', async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = createLogger('trace-logs', 'info', sink);
  const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
  runWithRequestId('req-1', () => context.with(trace.setSpan(context.active(), span), () => logger.info('inside')));
  logger.info('outside');
  await new Promise((r) => setImmediate(r));
  expect(lines[0]).toMatchObject({ msg: 'inside', requestId: 'req-1', traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' });
  expect(lines[1]).not.toHaveProperty('traceId');
  context.disable();
});

it('without tracing there is no traceparent to carry into jobs', () => {
  expect(currentTraceparent()).toBeUndefined();
});
