import path from 'node:path';
import { writeSchemaFile } from '@csp/kernel';
import { buildCatalogSchema } from './schema';

/** `make compose`: services/catalog/schema.graphql, the SDL this subgraph serves (composition reads it). */
void writeSchemaFile(path.resolve(__dirname, '..'), buildCatalogSchema);
