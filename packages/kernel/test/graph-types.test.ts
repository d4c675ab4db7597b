import { printType } from 'graphql';
import { buildSchema, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { entityRef } from '../src/graph/entity-ref';
import { payload } from '../src/graph/payload';

/** The kernel's object type factories: one way to name another subgraph's entity and a mutation's result. */
const Owner = entityRef('Owner', { resolvable: false });
type Owner = InstanceType<typeof Owner>;

@ObjectType()
class Thing {
  @Field() name!: string;
  @Field(() => Owner) owner!: Owner;
}
const RenameThingPayload = payload('RenameThingPayload', 'thing', Thing, { description: 'The thing, renamed.' });
type RenameThingPayload = InstanceType<typeof RenameThingPayload>;

@Resolver()
class ThingResolver {
  @Query(() => Thing)
  thing(): Thing {
    return Object.assign(new Thing(), { name: 'a', owner: Owner.of('own_1') });
  }

  @Mutation(() => RenameThingPayload)
  renameThing(): RenameThingPayload {
    return Object.assign(new RenameThingPayload(), { thing: this.thing() });
  }
}

it('an entity ref is its id; a payload holds its one object', async () => {
  expect(Owner.of('own_1')).toEqual({ id: 'own_1' });
  expect(Owner.of('own_1')).toBeInstanceOf(Owner);
  const schema = await buildSchema({ resolvers: [ThingResolver], validate: false });
  expect(printType(schema.getType('Owner')!)).toBe('type Owner {\n  id: ID!\n}');
  expect(printType(schema.getType('RenameThingPayload')!)).toBe('type RenameThingPayload {\n  """The thing, renamed."""\n  thing: Thing!\n}');
});
