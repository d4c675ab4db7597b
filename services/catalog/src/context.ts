import type { BaseContext } from '@csp/kernel';
import type { CatalogDeps } from './deps';
import type { CatalogLoaders } from './loaders';

export interface CatalogContext extends BaseContext {
  deps: CatalogDeps;
  loaders: CatalogLoaders;
}
