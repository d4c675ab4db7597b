import pino, { type Logger } from 'pino';
import { currentRequestId } from './request-context';

export type { Logger };

/** JSON logs; every line written inside a request or job carries its requestId. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    redact: { paths: ['password', '*.password', 'adminPassword', '*.adminPassword', 'authorization', '*.authorization'], censor: '[redacted]' },
  });
}
