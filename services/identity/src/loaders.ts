import type { Caller } from '@csp/kernel';
import DataLoader from 'dataloader';
import type { CustomerDoc } from './customers/customer.model';
import { toCustomer } from './customers/customer.type';
import type { IdentityDeps } from './deps';
import type { GroupDoc } from './groups/group.model';
import { toGroup } from './groups/group.type';
import { toPartner } from './partners/partner.type';
import type { RelationshipDoc } from './relationships/relationship.model';
import { toUser, type User } from './users/user.type';
import type { View } from './visibility/visibility';

/** Per-request batch loaders (one store query per entity type per request) and the caller's view. */
export function identityLoaders(deps: IdentityDeps, caller: Caller | null) {
  let view: Promise<View> | undefined;
  let related: Promise<Set<string>> | undefined;
  const byIds = <D extends { _id: string }, T>(find: (ids: string[]) => Promise<D[]>, map: (d: D) => T) =>
    new DataLoader<string, T | null>(async (ids) => {
      const docs = await find([...ids]);
      const byId = new Map(docs.map((d) => [d._id, map(d)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  return {
    /** What the caller may see; computed at most once per request. */
    view: (): Promise<View> => (view ??= deps.directory.view(caller)),
    /** Partners the caller does business with beyond its view (see byReference). */
    relatedPartners: (): Promise<Set<string>> => (related ??= deps.directory.relatedPartners(caller)),
    user: byIds((ids) => deps.users.find({ _id: { $in: ids } }, { passwordHash: 0, outbox: 0 }).lean(), toUser),
    partner: byIds((ids) => deps.directory.partners(ids), toPartner),
    customer: byIds((ids) => deps.customers.find({ _id: { $in: ids }, status: 'ACTIVE' }, { outbox: 0 }).lean<CustomerDoc[]>(), toCustomer),
    group: byIds((ids) => deps.groups.find({ _id: { $in: ids } }, { outbox: 0 }).lean<GroupDoc[]>(), toGroup),
    relationshipsOf: new DataLoader<string, RelationshipDoc[]>(async (customerIds) => {
      const docs = await deps.relationships.find({ customerId: { $in: [...customerIds] } }, { outbox: 0 }).sort({ createdAt: 1 }).lean<RelationshipDoc[]>();
      return customerIds.map((id) => docs.filter((d) => d.customerId === id));
    }),
    usersOf: new DataLoader<string, User[]>(async (customerIds) => {
      const docs = await deps.users.find({ customerId: { $in: [...customerIds] } }, { passwordHash: 0, outbox: 0 }).sort({ _id: 1 }).lean();
      return customerIds.map((id) => docs.filter((d) => d.customerId === id).map(toUser));
    }),
  };
}

export type IdentityLoaders = ReturnType<typeof identityLoaders>;
