import { Field, ObjectType, type ClassType } from 'type-graphql';

/**
 * A mutation's result holding one object: `type <name> { <field>: <Type>! }`. Pair it with
 * `export type X = InstanceType<typeof X>` where it is a type; `Object.assign(new X(), { field })` makes one.
 */
export function payload<K extends string, T extends object>(name: string, field: K, type: ClassType<T>, options: { description?: string } = {}) {
  @ObjectType(name)
  class Payload {}
  Field(() => type, options)(Payload.prototype, field);
  return Payload as ClassType<{ [P in K]: T }>;
}
