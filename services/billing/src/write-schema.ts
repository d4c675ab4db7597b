import path from 'node:path';
import { writeSchemaFile } from '@csp/kernel';
import { buildBillingSchema } from './schema';

/** `make compose`: services/billing/schema.graphql, the SDL this subgraph serves (composition reads it). */
void writeSchemaFile(path.resolve(__dirname, '..'), buildBillingSchema);
