import { printType } from 'graphql';
import { Arg, buildSchema, Query, Resolver } from 'type-graphql';
import { graphqlEnum, type EnumValue } from '../src/graph/graphql-enum';

const Colour = graphqlEnum('Colour', ['RED', 'DARK_BLUE'], { description: 'RED or DARK_BLUE.' });
type Colour = EnumValue<typeof Colour>;

@Resolver()
class ColourResolver {
  @Query(() => Colour)
  same(@Arg('colour', () => Colour) colour: Colour): Colour {
    return colour;
  }
}

/** One way to declare a GraphQL enum: its values are their own names, the object cannot change. */
it('serves each value under its own name, with the description', async () => {
  expect(Colour).toEqual({ RED: 'RED', DARK_BLUE: 'DARK_BLUE' });
  expect(Object.isFrozen(Colour)).toBe(true);
  const schema = await buildSchema({ resolvers: [ColourResolver], validate: false });
  expect(printType(schema.getType('Colour')!)).toBe('"""RED or DARK_BLUE."""\nenum Colour {\n  RED\n  DARK_BLUE\n}');
});
