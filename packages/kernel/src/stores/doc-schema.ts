import { Schema, type Connection, type Model, type SchemaDefinition, type SchemaDefinitionType } from 'mongoose';

/**
 * A collection's schema as every store here keeps its documents: a string `_id` (ours, time-ordered),
 * no `__v`. `minimize: false` keeps empty objects the documents need.
 */
export function docSchema<T>(fields: SchemaDefinition<SchemaDefinitionType<T>, T>, options: { minimize?: boolean } = {}): Schema<T> {
  return new Schema<T>({ _id: String, ...fields } as SchemaDefinition<SchemaDefinitionType<T>, T>, { versionKey: false, ...options });
}

/** The connection's model `name`, compiled on first use (a connection refuses a second compile). */
export const modelOn = <T>(conn: Connection, name: string, schema: Schema<T>, collection: string): Model<T> =>
  (conn.models[name] as Model<T>) ?? conn.model<T>(name, schema, collection);

/** Builds the indexes of a service's models (groups of them) before it serves: unique indexes carry its invariants. */
export async function initModels(...groups: Array<Record<string, { init(): Promise<unknown> }>>): Promise<void> {
  await Promise.all(groups.flatMap((g) => Object.values(g)).map((m) => m.init()));
}

/** A field every document of the collection has: `required(String)`, `required(Date, { index: true })`. */
export const required = <T>(type: T, more: { index?: boolean; unique?: boolean } = {}) => ({ type, required: true, ...more });
