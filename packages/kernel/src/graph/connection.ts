import type { QueryFilter, Model } from 'mongoose';
import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from './errors';

@Directive('@shareable')
@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor?: string | null;
  @Field(() => String, { nullable: true }) endCursor?: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Opaque cursor from a previous page.' })
  after?: string;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}
export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** A promise when counting costs a store query: only a query that asks for it pays for it. */
  totalCount: number | Promise<number>;
}

/** A Relay connection type named `${name}Connection` with `${name}Edge`. */
export function Connection<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int) totalCount!: number;
  }
  return ConnectionType as ClassType<ConnectionShape<T>>;
}

export const encodeCursor = (key: string): string => Buffer.from(`c:${key}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith('c:') || encodeCursor(raw.slice(2)) !== cursor) throw badInput('`after` is not a cursor this list handed out.', 'after');
  return raw.slice(2);
}

export function pageSize(first: number | undefined | null, max = 100, dflt = 20): number {
  if (first == null) return dflt;
  if (!Number.isInteger(first) || first < 1 || first > max) throw badInput(`\`first\` must be between 1 and ${max}.`, 'first');
  return first;
}

/** Pages a collection by `_id` (ids are time-ordered strings): one store query, two with `totalCount`. */
export async function paginate<D extends { _id: string }, T = D>(
  model: Model<D>,
  filter: QueryFilter<D>,
  args: { first?: number | null; after?: string | null },
  map: (doc: D) => T = (d) => d as unknown as T,
): Promise<ConnectionShape<T>> {
  const size = pageSize(args.first);
  const afterId = args.after ? decodeCursor(args.after) : undefined;
  const pageFilter = afterId ? { $and: [filter, { _id: { $gt: afterId } }] } : filter;
  const docs = await model.find(pageFilter as QueryFilter<D>).sort({ _id: 1 }).limit(size + 1).lean<D[]>();
  // A first page holding everything is its own count: no query, and never out of step with its edges.
  if (!afterId && docs.length <= size) return connectionFrom(docs, false, false, docs.length, (d) => d._id, map);
  const page = connectionFrom(docs.slice(0, size), docs.length > size, !!afterId, 0, (d) => d._id, map);
  let count: Promise<number> | undefined;
  // Counted when the field is resolved (the field resolver reads the property), at most once.
  return Object.defineProperty(page, 'totalCount', { enumerable: true, get: () => (count ??= model.countDocuments(filter).exec()) });
}

export function connectionFrom<D, T>(
  page: D[],
  hasNextPage: boolean,
  hasPreviousPage: boolean,
  totalCount: number | Promise<number>,
  key: (d: D) => string,
  map: (d: D) => T,
): ConnectionShape<T> {
  const edges = page.map((d) => ({ cursor: encodeCursor(key(d)), node: map(d) }));
  return {
    edges,
    totalCount,
    pageInfo: Object.assign(new PageInfo(), {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    }),
  };
}
