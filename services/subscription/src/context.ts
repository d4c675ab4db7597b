import type { BaseContext } from '@csp/kernel';
import type { SubscriptionDeps } from './deps';

export interface SubscriptionContext extends BaseContext {
  deps: SubscriptionDeps;
  loaders: ReturnType<typeof import('./schema').subscriptionLoaders>;
}
