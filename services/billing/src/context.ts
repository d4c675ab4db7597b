import type { BaseContext } from '@csp/kernel';
import type { BillingDeps } from './deps';

export interface BillingContext extends BaseContext {
  deps: BillingDeps;
}
