import path from 'node:path';
import { writeSchemaFile } from '@csp/kernel';
import { buildSupportSchema } from './schema';

/** `make compose`: services/support/schema.graphql, the SDL this subgraph serves (composition reads it). */
void writeSchemaFile(path.resolve(__dirname, '..'), buildSupportSchema);
