import type { BaseContext } from '@csp/kernel';
import type { AccessControlDeps } from './deps';

export interface AccessControlContext extends BaseContext {
  deps: AccessControlDeps;
  loaders: ReturnType<typeof import('./loaders').accessLoaders>;
}
