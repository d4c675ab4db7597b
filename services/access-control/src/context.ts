import type { BaseContext } from '@csp/kernel';
import type { AccessControlDeps } from './deps';
import type { AccessControlLoaders } from './loaders';

export interface AccessControlContext extends BaseContext {
  deps: AccessControlDeps;
  loaders: AccessControlLoaders;
}
