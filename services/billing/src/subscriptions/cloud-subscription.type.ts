import { entityRef } from '@csp/kernel';

/** The subscription service's CloudSubscription, extended here with its unbilled charges. */
export const CloudSubscriptionRef = entityRef('CloudSubscription', { resolvable: true });
export type CloudSubscriptionRef = InstanceType<typeof CloudSubscriptionRef>;
