import type { BaseContext } from '@csp/kernel';
import type { SubscriptionDeps } from './deps';
import type { SubscriptionLoaders } from './loaders';

export interface SubscriptionContext extends BaseContext {
  deps: SubscriptionDeps;
  loaders: SubscriptionLoaders;
}
