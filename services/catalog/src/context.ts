import type { BaseContext } from '@csp/kernel';
import type { CatalogDeps } from './deps';
import type { catalogLoaders } from './loaders';

export interface CatalogContext extends BaseContext {
  deps: CatalogDeps;
  loaders: ReturnType<typeof catalogLoaders>;
}
