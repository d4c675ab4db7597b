import type { BaseContext } from '@csp/kernel';
import type { CatalogDeps } from './deps';

export interface CatalogContext extends BaseContext {
  deps: CatalogDeps;
}
