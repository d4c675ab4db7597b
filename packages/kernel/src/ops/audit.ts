import type { ApolloServerPlugin } from '@apollo/server';
import { redisKeys } from '../stores/redis-keys';
import { rootFieldsTagged, SIGN_IN_TAG } from '../graph/field-tags';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import type { Connection, Model } from 'mongoose';
import { docSchema, modelOn, required } from '../stores/doc-schema';
import { envelope, outboxField, type Envelope } from '../events/envelope';
import type { BaseContext } from '../graph/context';
import type { Clock } from '../runtime/clock';
import { crashPoint } from '../runtime/crash-points';
import { newId } from '../runtime/ids';
import type { Logger } from '../runtime/logger';
import type { Redis } from 'ioredis';
import { auditScopesOf, inAuditScope, type AuditScope } from './audit-scope';

/**
 * Who changed what, when: one record per mutation field. It travels in the outbox of the field's
 * first write with events (audit-attach.ts); what no write carried (a refusal, a change without
 * events) is stored here, in the service's own store, after the response.
 */
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

/** An audit record's stored fields: here, and in the graph-wide log that gathers them (identity's, indexed for its readers). */
export const auditRecordFields = {
  at: required(Date, { index: true }),
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
};

const schema = docSchema<AuditRecordDoc>({ ...auditRecordFields, outbox: outboxField() });

/** Standalone records. Named apart from any domain audit a service keeps itself (access-control has its own). */
export const auditModel = (conn: Connection): Model<AuditRecordDoc> => modelOn<AuditRecordDoc>(conn, 'MutationAudit', schema, 'mutation_audit');

/** Who keeps the graph-wide log is the event routes' business (@csp/events), not the kernel's. */
export const AUDIT_EVENT = 'audit.recorded';

/** Refusals that say something about who asked (not a typo in the input). */
const DENIED_CODES = new Set(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED']);
/** Denied attempts recorded per actor and service per minute; a flood does not flood the log. */
export const DENIED_PER_MINUTE = 20;
/** One counter per (service, actor, minute window), counted and expired in one step. */
const COUNT = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], 60) end return n`;

/**
 * The record of one mutation field: the action is `<service>.<field>`, the target what the
 * service named (auditTarget), else the first id among the arguments, else the result's id or
 * the document the record travelled with (`written`).
 */
export function auditRecord(
  scope: AuditScope,
  how: { outcome: 'DONE' | 'DENIED'; reason?: string; result?: unknown; written?: { id?: string; customerId?: string } },
): AuditRecordDoc {
  const { caller, args } = scope;
  const targetId = scope.target?.id ?? targetOf(args, how.result) ?? how.written?.id;
  return {
    _id: scope.id,
    at: scope.clock.now(),
    service: scope.service,
    action: `${scope.service}.${scope.field}`,
    actorId: caller.userId,
    actorKind: caller.kind,
    actorPartnerId: caller.partnerId,
    actorCustomerId: caller.customerId,
    targetId,
    customerId: scope.target?.customerId ?? customerOf(args, how.result) ?? how.written?.customerId ?? caller.customerId,
    requestId: scope.requestId,
    outcome: how.outcome,
    ...(how.reason ? { reason: how.reason.slice(0, 300) } : {}),
    outbox: [],
  };
}

/** The `audit.recorded` event of a record: its id is the record's, so copies are one record. */
export function auditEnvelope(doc: AuditRecordDoc, clock: Clock): Envelope {
  return envelope(AUDIT_EVENT, { ...doc, at: doc.at.toISOString(), outbox: undefined }, clock, doc._id);
}

/**
 * Opens an audit scope around every mutation field of a subgraph, so no service has to remember
 * to: the field's first write with outbox entries carries its record (audit-attach.ts).
 */
export function auditMutations(schema: GraphQLSchema, opts: { service: string; clock: Clock }): void {
  const mutation = schema.getMutationType();
  // Signing in is not a change: fields tagged sign-in where they are declared are never audited.
  const unaudited = rootFieldsTagged(schema, SIGN_IN_TAG);
  for (const field of Object.values(mutation?.getFields() ?? {})) {
    if (unaudited.has(field.name)) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args: Record<string, unknown>, ctx: BaseContext, info) => {
      if (!ctx?.caller) return resolve(source, args, ctx, info);
      const scope: AuditScope = { id: newId('aud'), service: opts.service, field: field.name, caller: ctx.caller, requestId: ctx.requestId, args, clock: opts.clock, attached: false, closed: false };
      return inAuditScope(ctx, String(info.path.key), scope, async () => {
        const result = await resolve(source, args, ctx, info);
        // The mutation's writes are done, its response not sent: a death here loses no record.
        crashPoint('audit.after-write');
        return result;
      });
    };
  }
}

/**
 * After the response: records what no write carried — refused mutations (who, what, why) as
 * DENIED, so a partner sees attempts against its tenant (rate-limited per actor through Redis
 * when `redis` is given), and successful mutations whose writes had no outbox.
 */
export function auditPlugin(opts: { service: string; model: Model<AuditRecordDoc>; clock: Clock; logger: Logger; redis?: Redis; prefix?: string }): ApolloServerPlugin<BaseContext> {
  const underLimit = async (actorId: string) => {
    if (!opts.redis) return true;
    const n = Number(await opts.redis.eval(COUNT, 1, redisKeys(opts.prefix ?? 'csp').auditDenied(opts.service, actorId)).catch(() => 0));
    return n <= DENIED_PER_MINUTE;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const scopes = auditScopesOf(rc.contextValue);
          const body = rc.response.body;
          if (!scopes?.size || body.kind !== 'single') return;
          const data = (body.singleResult.data ?? {}) as Record<string, unknown>;
          const docs: AuditRecordDoc[] = [];
          for (const [key, scope] of scopes) {
            if (scope.attached) continue; // it went out with the change itself
            const error = body.singleResult.errors?.find((e) => e.path?.[0] === key);
            const code = String(error?.extensions?.code ?? '');
            const denied = !!error && DENIED_CODES.has(code);
            if ((error && !denied) || (!error && data[key] == null)) continue;
            if (denied && !(await underLimit(scope.caller.userId))) continue;
            const doc = denied ? auditRecord(scope, { outcome: 'DENIED', reason: `${code}: ${error!.message}` }) : auditRecord(scope, { outcome: 'DONE', result: data[key] });
            doc.outbox = [auditEnvelope(doc, opts.clock)];
            docs.push(doc);
          }
          if (docs.length) await opts.model.insertMany(docs).catch((err) => opts.logger.error({ err }, 'audit write failed'));
        },
      };
    },
  };
}

/** The first `id`/`…Id` string among the arguments (inputs included), else the result's id. */
function targetOf(args: Record<string, unknown>, result: unknown): string | undefined {
  const fromArgs = findValue(args, (k) => k === 'id' || /Id$/.test(k));
  if (fromArgs) return fromArgs;
  return findValue(result, (k) => k === 'id');
}

/**
 * The customer a change concerns: a `customerId` argument or the result's customer. A change to
 * a customer itself names it where the service knows it is one (auditTarget(id, customerId)).
 */
function customerOf(args: Record<string, unknown>, result: unknown): string | undefined {
  const fromArgs = findValue(args, 'customerId');
  if (fromArgs) return fromArgs;
  const customer = findObject(result, 'customer');
  return customer && typeof customer.id === 'string' ? customer.id : undefined;
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
