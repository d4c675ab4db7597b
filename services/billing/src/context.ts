import type { BaseContext } from '@csp/kernel';
import type { BillingDeps } from './deps';
import type { billingLoaders } from './schema';

export interface BillingContext extends BaseContext {
  deps: BillingDeps;
  loaders: ReturnType<typeof billingLoaders>;
}
