import type { Schema } from 'mongoose';

/**
 * FerretDB's PostgreSQL backend pushes a filter down to SQL only for top-level equality
 * (`{f: v}`, `$eq`, `$ne`); `$in` is evaluated after fetching every document of the
 * collection. Batched lookups (`{_id: {$in: ids}}`) often carry a single value — one entity,
 * one subscription — so this rewrites a top-level `$in` of one scalar into the equality it
 * means (same matches on MongoDB too: arrays containing it, null for a missing field).
 */
export function singleInPlugin(schema: Schema): void {
  const ops = ['find', 'findOne', 'countDocuments', 'updateOne', 'updateMany', 'findOneAndUpdate', 'deleteOne', 'deleteMany'] as const;
  for (const op of ops) {
    schema.pre(op, function () {
      const filter = this.getFilter() as Record<string, unknown>;
      let changed: Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(filter)) {
        if (k.startsWith('$') || !v || typeof v !== 'object' || Array.isArray(v)) continue;
        const cond = v as Record<string, unknown>;
        const keys = Object.keys(cond);
        if (keys.length !== 1 || keys[0] !== '$in' || !Array.isArray(cond.$in) || cond.$in.length !== 1) continue;
        const only = cond.$in[0];
        if (!['string', 'number', 'boolean'].includes(typeof only) && !(only instanceof Date)) continue;
        (changed ??= { ...filter })[k] = only;
      }
      if (changed) this.setQuery(changed);
    });
  }
}
