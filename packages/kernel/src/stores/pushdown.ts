import type { Schema } from 'mongoose';

type Filter = Record<string, unknown>;
const isPlain = (v: unknown): v is Filter => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/**
 * A top-level `$and` of parts naming different fields is the same filter written flat; FerretDB
 * pushes down only top-level fields (an operator key such as `$and`/`$or` beside them is
 * evaluated afterwards), so the flat form lets the store use the parts' equalities.
 */
export function flattenAnd(filter: Filter): Filter {
  if (!Array.isArray(filter.$and)) return filter;
  const { $and, ...out } = filter as Filter & { $and: unknown[] };
  const rest: unknown[] = [];
  for (const part of $and) {
    const flat = isPlain(part) ? flattenAnd(part) : undefined;
    if (!flat || Object.keys(flat).some((k) => k in out)) rest.push(flat ?? part);
    else Object.assign(out, flat);
  }
  return rest.length ? { ...out, $and: rest } : out;
}

/**
 * FerretDB's PostgreSQL backend pushes a filter down to SQL only for top-level equality
 * (`{f: v}`, `$eq`, `$ne`); `$in` is evaluated after fetching every document of the
 * collection. Batched lookups (`{_id: {$in: ids}}`) often carry a single value — one entity,
 * one subscription — so this rewrites a top-level `$in` of one scalar into the equality it
 * means (same matches on MongoDB too: arrays containing it, null for a missing field), and a
 * top-level `$and` into its flat form (`flattenAnd`).
 */
export function pushdownPlugin(schema: Schema): void {
  const ops = ['find', 'findOne', 'countDocuments', 'updateOne', 'updateMany', 'findOneAndUpdate', 'deleteOne', 'deleteMany'] as const;
  for (const op of ops) {
    schema.pre(op, function () {
      const given = this.getFilter() as Filter;
      const filter = flattenAnd(given);
      let changed: Filter | undefined = filter === given ? undefined : filter;
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
