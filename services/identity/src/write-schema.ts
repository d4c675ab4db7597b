import path from 'node:path';
import { writeSchemaFile } from '@csp/kernel';
import { buildIdentitySchema } from './schema';

/** `make compose`: services/identity/schema.graphql, the SDL this subgraph serves (composition reads it). */
void writeSchemaFile(path.resolve(__dirname, '..'), buildIdentitySchema);
