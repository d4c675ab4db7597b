import path from 'node:path';
import { writeSchemaFile } from '@csp/kernel';
import { buildAccessControlSchema } from './schema';

/** `make compose`: services/access-control/schema.graphql, the SDL this subgraph serves (composition reads it). */
void writeSchemaFile(path.resolve(__dirname, '..'), buildAccessControlSchema);
