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

type Tier = 'DIRECT_PROVIDER' | 'INDIRECT_PROVIDER' | 'INDIRECT_RESELLER';

/** Identity's partner.onboarded for a German partner of the EU market; access-control keeps its tier and admin agents group. */
export const onboardPartner = (stack: Stack, partnerId: string, adminAgentsGroupId: string, tier: Tier = 'DIRECT_PROVIDER') =>
  stack.publish('partner.onboarded', { partnerId, name: partnerId, tier, country: 'DE', market: 'EU', currency: 'EUR', adminAgentsGroupId });

/** Identity's customer.created for a German customer sold by `partnerId` (through `distributorId`, tier 2). */
export const createCustomer = (stack: Stack, customerId: string, partnerId: string, distributorId?: string) =>
  stack.publish('customer.created', {
    customerId, companyName: customerId, domain: `${customerId}.example`, country: 'DE', currency: 'EUR', partnerId, ...(distributorId ? { distributorId } : {}),
  });

/** Identity's group.membershipChanged for a partner's security group. */
export const partnerGroup = (stack: Stack, groupId: string, partnerId: string, memberIds: string[]) =>
  stack.publish('group.membershipChanged', { groupId, ownerKind: 'PARTNER', ownerId: partnerId, memberIds });

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
