import type { BaseContext } from '@csp/kernel';
import type { IdentityDeps } from './deps';
import type { IdentityLoaders } from './loaders';

export interface IdentityContext extends BaseContext {
  deps: IdentityDeps;
  loaders: IdentityLoaders;
}
