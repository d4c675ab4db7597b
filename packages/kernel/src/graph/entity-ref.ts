import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * An entity another subgraph owns, known here by its id: `type <name> @key(fields: "id") { id: ID! }`.
 * `resolvable: false` where this subgraph only points at it; true where it adds fields to it.
 * `export type X = InstanceType<typeof X>` names its objects; `X.of(id)` makes one.
 */
export function entityRef(name: string, options: { resolvable: boolean }) {
  @Directive(options.resolvable ? '@key(fields: "id")' : '@key(fields: "id", resolvable: false)')
  @ObjectType(name)
  class EntityRef {
    @Field(() => ID) id!: string;

    static of(id: string): EntityRef {
      return Object.assign(new EntityRef(), { id });
    }
  }
  return EntityRef;
}
