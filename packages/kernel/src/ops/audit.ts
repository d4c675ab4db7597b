import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { Schema, type Connection, type Model } from 'mongoose';
import { envelope, outboxSchema, type Envelope } from '../events/envelope';
import type { BaseContext } from '../graph/context';
import type { Clock } from '../runtime/clock';
import { newId } from '../runtime/ids';
import type { Logger } from '../runtime/logger';
import type { Redis } from 'ioredis';

/** Who changed what, when: one record per successful mutation field, in the service's own store. */
export interface AuditRecordDoc {
  _id: string;
  at: Date;
  service: string;
  action: string;
  actorId: string;
  actorKind: string;
  actorPartnerId?: string;
  actorCustomerId?: string;
  targetId?: string;
  /** The customer the change concerns, when the arguments name one; lets partners read it. */
  customerId?: string;
  requestId?: string;
  /** DONE, or DENIED for a mutation refused for who asked (FORBIDDEN, NOT_FOUND, UNAUTHENTICATED). */
  outcome?: 'DONE' | 'DENIED';
  /** Why it was refused: the error code and message. */
  reason?: string;
  outbox: Envelope[];
}

const schema = new Schema<AuditRecordDoc>(
  {
    _id: String,
    at: { type: Date, required: true, index: true },
    service: String,
    action: String,
    actorId: String,
    actorKind: String,
    actorPartnerId: String,
    actorCustomerId: String,
    targetId: { type: String, index: true },
    customerId: String,
    requestId: String,
    outcome: String,
    reason: String,
    outbox: { type: [outboxSchema], default: [] },
  },
  { versionKey: false },
);

/** Named apart from any domain audit a service keeps itself (access-control has its own). */
export const auditModel = (conn: Connection): Model<AuditRecordDoc> =>
  (conn.models.MutationAudit as Model<AuditRecordDoc>) ?? conn.model<AuditRecordDoc>('MutationAudit', schema, 'mutation_audit');

/** Who keeps the graph-wide log is the event routes' business (@csp/events), not the kernel's. */
export const AUDIT_EVENT = 'audit.recorded';

/**
 * Records every successful mutation of a subgraph, so no service has to remember to: the
 * action is `<service>.<field>`, the target is the first id among the arguments (or the
 * result's id). The record also goes out as an `audit.recorded` event for the graph-wide log.
 */
/** Refusals that say something about who asked (not a typo in the input). */
const DENIED_CODES = new Set(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED']);
/** Denied attempts recorded per actor and service per minute; a flood does not flood the log. */
export const DENIED_PER_MINUTE = 20;
/** One counter per (service, actor, minute window), counted and expired in one step. */
const COUNT = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], 60) end return n`;

/**
 * Also records refused mutations (who, what, why) as DENIED, so a partner sees attempts against
 * its tenant; rate-limited per actor through Redis when `redis` is given.
 */
export function auditPlugin(opts: { service: string; model: Model<AuditRecordDoc>; clock: Clock; logger: Logger; redis?: Redis; prefix?: string }): ApolloServerPlugin<BaseContext> {
  const underLimit = async (actorId: string) => {
    if (!opts.redis) return true;
    const n = Number(await opts.redis.eval(COUNT, 1, `${opts.prefix ?? 'csp'}:audit-denied:${opts.service}:${actorId}`).catch(() => 0));
    return n <= DENIED_PER_MINUTE;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const op = rc.operation as OperationDefinitionNode | undefined;
          if (!op || op.operation !== 'mutation' || !rc.contextValue.caller) return;
          const body = rc.response.body;
          if (body.kind !== 'single') return;
          const data = (body.singleResult.data ?? {}) as Record<string, unknown>;
          const caller = rc.contextValue.caller;
          const docs: AuditRecordDoc[] = [];
          for (const sel of op.selectionSet.selections) {
            if (sel.kind !== Kind.FIELD) continue;
            const key = sel.alias?.value ?? sel.name.value;
            if (sel.name.value === 'login' || sel.name.value === 'tokenForClient') continue;
            const error = body.singleResult.errors?.find((e) => e.path?.[0] === key);
            const code = String(error?.extensions?.code ?? '');
            const denied = !!error && DENIED_CODES.has(code);
            if ((error && !denied) || (!error && data[key] == null)) continue;
            if (denied && !(await underLimit(caller.userId))) continue;
            const args = argumentValues(sel, rc.request.variables ?? {});
            const at = opts.clock.now();
            const doc: AuditRecordDoc = {
              _id: newId('aud'),
              at,
              service: opts.service,
              action: `${opts.service}.${sel.name.value}`,
              actorId: caller.userId,
              actorKind: caller.kind,
              actorPartnerId: caller.partnerId,
              actorCustomerId: caller.customerId,
              targetId: targetOf(args, denied ? null : data[key]),
              customerId: customerOf(args, denied ? null : data[key]) ?? caller.customerId,
              requestId: rc.contextValue.requestId,
              outcome: denied ? 'DENIED' : 'DONE',
              ...(denied ? { reason: `${code}: ${error!.message}`.slice(0, 300) } : {}),
              outbox: [],
            };
            doc.outbox = [envelope(AUDIT_EVENT, { ...doc, at: at.toISOString(), outbox: undefined }, opts.clock, doc._id)];
            docs.push(doc);
          }
          if (docs.length) await opts.model.insertMany(docs).catch((err) => opts.logger.error({ err }, 'audit write failed'));
        },
      };
    },
  };
}

function argumentValues(field: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of field.arguments ?? []) {
    out[arg.name.value] = arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] : literal(arg.value);
  }
  return out;
}

function literal(v: import('graphql').ValueNode): unknown {
  switch (v.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return v.value;
    case Kind.INT:
    case Kind.FLOAT:
      return v.value;
    case Kind.BOOLEAN:
      return v.value;
    case Kind.OBJECT:
      return Object.fromEntries(v.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.LIST:
      return v.values.map(literal);
    default:
      return null;
  }
}

/** The first `id`/`…Id` string among the arguments (inputs included), else the result's id. */
function targetOf(args: Record<string, unknown>, result: unknown): string | undefined {
  const fromArgs = findValue(args, (k) => k === 'id' || /Id$/.test(k));
  if (fromArgs) return fromArgs;
  return findValue(result, (k) => k === 'id');
}

/** The customer a change concerns: a `customerId` argument, the result's customer, or a customer id target. */
function customerOf(args: Record<string, unknown>, result: unknown): string | undefined {
  const fromArgs = findValue(args, 'customerId');
  if (fromArgs) return fromArgs;
  const customer = findObject(result, 'customer');
  if (customer && typeof customer.id === 'string') return customer.id;
  const target = targetOf(args, result);
  return target?.startsWith('cus_') ? target : undefined;
}

function findObject(obj: unknown, key: string, depth = 0): Record<string, unknown> | undefined {
  if (!obj || typeof obj !== 'object' || depth > 3) return undefined;
  const o = obj as Record<string, unknown>;
  if (o[key] && typeof o[key] === 'object') return o[key] as Record<string, unknown>;
  for (const v of Object.values(o)) {
    const found = findObject(v, key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function findValue(obj: unknown, match: string | ((key: string) => boolean), depth = 0): string | undefined {
  if (!obj || typeof obj !== 'object' || depth > 3) return undefined;
  const test = typeof match === 'string' ? (k: string) => k === match : match;
  for (const [k, v] of Object.entries(obj)) if (test(k) && typeof v === 'string') return v;
  for (const v of Object.values(obj)) {
    const found = findValue(v, match, depth + 1);
    if (found) return found;
  }
  return undefined;
}
