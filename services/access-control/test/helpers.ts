import type { Stack } from '@csp/testkit';
import type { AccessControlDeps } from '../src/deps';
import { eventually, PINNED_NOW } from '@csp/testkit';

export { eventually };

export const accessDeps = (stack: Stack) => stack.services['access-control']!.deps as AccessControlDeps;

export const subFacts = (subscriptionId: string, customerId: string, partnerId: string, extra: { resellerId?: string } = {}) => ({
  subscriptionId,
  customerId,
  partnerId,
  ...extra,
  offerId: 'off_azure',
  billingType: 'USAGE' as const,
  quantity: 1,
  market: 'EU',
  at: PINNED_NOW, // the platform clock of every test file starts there
});

export const subScope = (c: string, s: string) => `/customers/${c}/subscriptions/${s}`;

/** Identity announces every user (user.rolesChanged); waits until access-control knows them all. */
export async function announceUsers(stack: Stack, users: Array<{ userId: string; customerId?: string; partnerId?: string; roles?: string[] }>): Promise<void> {
  for (const u of users) {
    await stack.publish('user.rolesChanged', {
      userId: u.userId,
      email: `${u.userId}@users.example`,
      kind: u.partnerId ? 'PARTNER_USER' : 'CUSTOMER_USER',
      ...(u.partnerId ? { partnerId: u.partnerId } : { customerId: u.customerId }),
      roles: u.roles ?? ['ADMIN'],
    });
  }
  const ids = users.map((u) => u.userId);
  await eventually(async () => (await accessDeps(stack).models.users.countDocuments({ _id: { $in: ids } })) === ids.length);
}
