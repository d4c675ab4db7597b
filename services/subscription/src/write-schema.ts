import path from 'node:path';
import { writeSchemaFile } from '@csp/kernel';
import { buildSubscriptionSchema } from './schema';

/** `make compose`: services/subscription/schema.graphql, the SDL this subgraph serves (composition reads it). */
void writeSchemaFile(path.resolve(__dirname, '..'), buildSubscriptionSchema);
