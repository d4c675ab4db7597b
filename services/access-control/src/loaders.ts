import type { Caller } from '@csp/kernel';
import DataLoader from 'dataloader';
import { toAssignment, type RoleAssignment } from './assignments/assignment.type';
import type { AccessControlDeps } from './deps';
import { ACTIONS } from '@csp/access-client';
import { parseScope, subscriptionScope } from './scopes/scope';

/**
 * Per-request batch loaders: a page of subscriptions costs one read-model query, one batch of
 * decisions and one assignment query, whatever its size.
 */
export function accessControlLoaders(deps: AccessControlDeps, caller: Caller | null) {
  return {
    subscriptionAssignments: new DataLoader<string, RoleAssignment[]>(async (ids) => {
      if (!caller) return ids.map(() => []);
      const subs = await deps.directory.subscriptions.find({ _id: { $in: [...ids] } }, { customerId: 1, partnerId: 1, resellerId: 1 }).lean();
      const scopes = subs.map((s) => parseScope(subscriptionScope(s.customerId, s._id)));
      const decisions = await deps.decisions.decideMany(
        caller,
        scopes.map((scope) => ({ scope, action: ACTIONS.assignmentsRead })),
        subs,
      );
      // Visible only to principals who may read the subscription's assignments; others see none.
      const readable = scopes.filter((_, i) => decisions[i].allowed);
      const bySubscription = new Map(readable.map((s) => [s.subscriptionId!, s.path]));
      const sellers = new Map(subs.map((s) => [subscriptionScope(s.customerId, s._id), s]));
      const lists = await deps.assignments.listForScopes(readable, sellers);
      return ids.map((id) => {
        const path = bySubscription.get(id);
        return path ? (lists.get(path) ?? []).map(toAssignment) : [];
      });
    }),
  };
}

export type AccessControlLoaders = ReturnType<typeof accessControlLoaders>;
