import type { BaseContext } from '@csp/kernel';
import type { SupportDeps } from './deps';
import type { SupportLoaders } from './loaders';

export interface SupportContext extends BaseContext {
  deps: SupportDeps;
  loaders: SupportLoaders;
}
