import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COMPOSE_COMMAND, SCHEMA_FILE, SUBGRAPHS, type SubgraphName } from '@csp/kernel/edge';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** Where a subgraph's committed SDL is, relative to the repository. */
export const subgraphSchemaFile = (name: SubgraphName) => `services/${name}/${SCHEMA_FILE}`;

/**
 * Each subgraph's committed SDL (services/<name>/schema.graphql): composition reads these
 * reviewed files, never the services' code, so the gateway imports no service.
 */
export function subgraphSchemas(root = REPO_ROOT): Record<SubgraphName, string> {
  const sdl = {} as Record<SubgraphName, string>;
  for (const { name } of SUBGRAPHS) {
    const file = path.join(root, subgraphSchemaFile(name));
    if (!existsSync(file)) throw new Error(`${subgraphSchemaFile(name)} is missing: run \`${COMPOSE_COMMAND}\` and commit it`);
    sdl[name] = readFileSync(file, 'utf8');
  }
  return sdl;
}
