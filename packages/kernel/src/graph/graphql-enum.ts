import { registerEnumType } from 'type-graphql';

/** The values of an enum object made by `graphqlEnum`, as a union of strings. */
export type EnumValue<E> = E[keyof E];

/**
 * A GraphQL enum whose every value is its own name: a frozen `{ A: 'A', … }` object, registered with
 * type-graphql as `name`. Pair it with `export type X = EnumValue<typeof X>` where the values are a type.
 */
export function graphqlEnum<const V extends string>(name: string, values: readonly V[], options: { description?: string } = {}): { readonly [K in V]: K } {
  const e = Object.freeze(Object.fromEntries(values.map((v) => [v, v]))) as { readonly [K in V]: K };
  registerEnumType(e, { name, description: options.description });
  return e;
}
