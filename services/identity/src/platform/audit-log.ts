import { isDuplicateKey, type Envelope } from '@csp/kernel';
import type { EventMap } from '@csp/events';
import type { Model } from 'mongoose';
import type { AuditLogDoc } from './audit-log.model';

/** Consumer of `audit.recorded`: keeps one copy per record id, however often it arrives. */
export function auditLogHandler(log: Model<AuditLogDoc>) {
  return async (ev: Envelope<EventMap['audit.recorded']>) => {
    const { _id, at, ...rest } = ev.payload;
    await log.create({ _id, at: new Date(at), ...rest }).catch((err) => {
      if (!isDuplicateKey(err)) throw err;
    });
  };
}
