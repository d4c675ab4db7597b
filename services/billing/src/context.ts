import type { BaseContext } from '@csp/kernel';
import type { BillingDeps } from './deps';
import type { BillingLoaders } from './loaders';

export interface BillingContext extends BaseContext {
  deps: BillingDeps;
  loaders: BillingLoaders;
}
