import path from 'node:path';
import { staleSchemaFile } from '@csp/kernel';
import { buildSupportSchema } from '../src/schema';

it('the committed schema.graphql is the SDL this code serves', async () => {
  expect(await staleSchemaFile(path.resolve(__dirname, '..'), buildSupportSchema)).toBeUndefined();
});
