import pino, { type Logger } from 'pino';
import { currentRequestId } from './request-context';
import { currentTraceIds } from './trace-context';

export type { Logger };

/** JSON logs; every line written inside a request or job carries its requestId (and traceId when tracing). */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    // The OTel trace id next to the request id, so a log line leads to its trace.
    mixin() {
      const requestId = currentRequestId();
      const ids = currentTraceIds();
      return { ...(requestId ? { requestId } : {}), ...(ids ? { traceId: ids.traceId, spanId: ids.spanId } : {}) };
    },
    redact: { paths: ['password', '*.password', 'adminPassword', '*.adminPassword', 'authorization', '*.authorization'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
