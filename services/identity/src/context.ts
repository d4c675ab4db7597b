import type { BaseContext } from '@csp/kernel';
import type { IdentityDeps } from './deps';

export interface IdentityContext extends BaseContext {
  deps: IdentityDeps;
  loaders: ReturnType<typeof import('./schema').identityLoaders>;
}
