import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * Trace context across queues: a job or event carries the W3C `traceparent` of the work that
 * caused it, and its processing runs in a span that continues that trace. With tracing off
 * (no SDK registered) these are no-ops.
 */
const tracer = () => trace.getTracer('@csp/kernel');

/** The current trace context as a W3C traceparent header value, if tracing is on. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The active span's trace and span ids, for log lines. */
export function currentTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return traceFlags === undefined || !traceId || /^0+$/.test(traceId) ? undefined : { traceId, spanId };
}

/** Runs `fn` as the consumer span `<queue> process <name>`, a child of `traceparent`. */
export function runInJobSpan<T>(queue: string, name: string, traceparent: string | undefined, fn: () => Promise<T>): Promise<T> {
  const parent = traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
  return tracer().startActiveSpan(
    `${queue} process ${name}`,
    { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'bullmq', 'messaging.destination.name': queue, 'messaging.operation.type': 'process' } },
    parent,
    async (span) => {
      try {
        return await fn();
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
