import type { Document, Query, Schema } from 'mongoose';
import type { Envelope } from '../events/envelope';
import { auditEnvelope, auditRecord } from './audit';
import { currentAuditScope, type AuditScope } from './audit-scope';

/**
 * The audit record of a mutation goes out with its change: the first write of a mutation field
 * that adds outbox entries (a new document's outbox, an insertMany, an updateOne or
 * findOneAndUpdate with `$push: { outbox }`) also gets the field's `audit.recorded` envelope
 * appended, in the same single-document write. A process that dies after that write loses no
 * record; the relay sends it with the events. updateMany is left alone (one record, many documents).
 * A service that names the target (auditTarget) has it carried by the target's own write.
 */
type Loose = Record<string, unknown>;

/** Schema option (`schema.set(AUDIT_CARRIER, true)`): each new document of the collection may carry a mutation's record. */
export const AUDIT_CARRIER = 'auditCarrier';
type Outboxed = { _id?: unknown; customerId?: unknown; outbox?: Envelope[] };

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The field's envelope, built once: the document it first travels with names the target when nothing else does. */
function envelopeFor(scope: AuditScope, written: { _id?: unknown; customerId?: unknown }): Envelope {
  scope.envelope ??= auditEnvelope(auditRecord(scope, { outcome: 'DONE', written: { id: text(written._id), customerId: text(written.customerId) } }), scope.clock);
  return scope.envelope;
}

/**
 * The open scope, if this write may carry its record: not yet carried, not already in this
 * outbox, and the target's own write once the service named a target (a creation's parts
 * written before the tenant itself are undone if the request dies; the record waits for it).
 */
function scopeFor(outbox: unknown, writtenId: unknown, carrier = false): AuditScope | undefined {
  const scope = currentAuditScope();
  if (!scope || scope.attached || !Array.isArray(outbox) || (!outbox.length && !carrier)) return undefined;
  if (scope.target && writtenId !== scope.target.id) return undefined;
  return outbox.some((e: Envelope) => e?.id === scope.id) ? undefined : scope;
}

/** Mongoose connection plugin, beside outboxFlagPlugin: applies to every schema with an `outbox`. */
export function auditAttachPlugin(schema: Schema): void {
  if (!schema.path('outbox')) return;

  // A collection whose every new document records a change (a service's own audit trail) carries
  // the record even when the change raises no event: AUDIT_CARRIER in its schema's options.
  const carrier = schema.get(AUDIT_CARRIER as never) === true;
  schema.pre('save', function (this: Document & Outboxed) {
    if (!this.isNew && !this.isModified('outbox')) return;
    const scope = scopeFor(this.outbox, this._id, carrier && this.isNew);
    if (!scope) return;
    this.outbox!.push(envelopeFor(scope, { _id: this._id, customerId: this.get('customerId') }));
    this.$locals.auditScope = scope;
  });
  schema.post('save', function (this: Document) {
    const scope = this.$locals.auditScope as AuditScope | undefined;
    if (scope) scope.attached = true;
    delete this.$locals.auditScope;
  });

  schema.pre('insertMany', function (docs: Outboxed | Outboxed[]) {
    for (const d of Array.isArray(docs) ? docs : [docs]) {
      if (carrier && d && !d.outbox) d.outbox = [];
      const scope = scopeFor(d?.outbox, d?._id, carrier);
      if (!scope) continue;
      d.outbox = [...d.outbox!, envelopeFor(scope, d)];
      return;
    }
  });
  schema.post('insertMany', function (docs: unknown) {
    // Read back from what was inserted, not kept on the model: its insertMany calls may overlap.
    const scope = currentAuditScope();
    const list = (Array.isArray(docs) ? docs : [docs]) as Outboxed[];
    if (scope && list.some((d) => d?.outbox?.some((e) => e?.id === scope.id))) scope.attached = true;
  });

  type UpdateQuery = Query<unknown, unknown> & { _auditScope?: AuditScope };
  for (const op of ['updateOne', 'findOneAndUpdate'] as const) {
    schema.pre(op, function (this: UpdateQuery) {
      const update = this.getUpdate() as Loose | null;
      if (!update || Array.isArray(update)) return;
      const filter = this.getFilter() as Loose;
      const push = update.$push as Loose | undefined;
      const set = update.$set as Loose | undefined;
      const written = { _id: filter._id ?? set?._id, customerId: filter.customerId ?? set?.customerId };
      if (push?.outbox) {
        const each = push.outbox as Loose;
        const list = (Array.isArray(each.$each) ? each.$each : [each]) as Envelope[];
        const scope = scopeFor(list, written._id);
        if (!scope) return;
        push.outbox = { ...(Array.isArray(each.$each) ? each : {}), $each: [...list, envelopeFor(scope, written)] };
        this._auditScope = scope;
      } else {
        const holder = set && Array.isArray(set.outbox) ? set : update;
        const scope = scopeFor(holder.outbox, written._id);
        if (!scope) return;
        holder.outbox = [...(holder.outbox as Envelope[]), envelopeFor(scope, written)];
        this._auditScope = scope;
      }
      this.setUpdate(update as never);
    });
    schema.post(op, function (this: UpdateQuery, res: unknown) {
      const scope = this._auditScope;
      if (!scope) return;
      // A filter that matched nothing wrote nothing: the record is still to be written.
      const r = res as { matchedCount?: number; upsertedCount?: number } | null;
      const wrote = op === 'updateOne' ? (r?.matchedCount ?? 0) + (r?.upsertedCount ?? 0) > 0 : r != null || !!this.getOptions().upsert;
      if (wrote) scope.attached = true;
    });
  }
}
