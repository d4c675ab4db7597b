import { startSubgraphService, type RunningSubgraph } from '@csp/kernel';
import type { CatalogContext } from './context';
import { buildDeps, type CatalogDeps } from './deps';
import { buildCatalogSchema } from './schema';

/** Starts the catalog subgraph: in its own process (index.ts) or in-process in tests. */
export function startCatalog(env: NodeJS.ProcessEnv = process.env, embedded = false): Promise<RunningSubgraph<CatalogDeps>> {
  return startSubgraphService<CatalogContext, CatalogDeps>({
    runtime: { name: 'catalog', defaultPort: 4002, defaultDb: 'csp_catalog', env, embedded },
    deps: buildDeps,
    schema: buildCatalogSchema,
    context: (base, deps) => ({ ...base, deps }),
  });
}
