import type { Model } from 'mongoose';
import type { CustomerDoc } from '../customers/customer.model';
import type { GroupDoc } from '../groups/group.model';
import type { PartnerDoc } from '../partners/partner.model';
import type { RelationshipDoc } from '../relationships/relationship.model';
import type { UserDoc } from '../users/user.model';

export interface CreationModels {
  customers: Model<CustomerDoc>;
  partners: Model<PartnerDoc>;
  users: Model<UserDoc>;
  groups: Model<GroupDoc>;
  relationships: Model<RelationshipDoc>;
}

/**
 * createCustomer and onboardPartner are several writes; their events go out with the last one.
 * A request that died before it left pieces nobody was told of — a PENDING customer (holding
 * its domain), a first admin that may not sign in (pendingTenant), an admin-agents group — and
 * this undoes them, so the domain and the email are free again. A creation that died after its
 * last write only has its admin's flag left, which this clears (the tenant is complete).
 * Everything older than `before` counts as dead; every replica may sweep.
 */
export async function undoUnfinishedCreations(m: CreationModels & { accounts: { tenantComplete(userId: string): Promise<void> } }, before: Date, limit = 50): Promise<{ undone: number; completed: number }> {
  let undone = 0;
  let completed = 0;
  const pending = await m.customers.find({ status: 'PENDING', createdAt: { $lt: before } }, { _id: 1 }).limit(limit).lean<Array<{ _id: string }>>();
  for (const c of pending) {
    await m.users.deleteMany({ customerId: c._id, pendingTenant: true });
    await m.relationships.deleteMany({ customerId: c._id });
    // The claim goes last: until it does, the domain stays taken and this sweep finds it again.
    undone += (await m.customers.deleteOne({ _id: c._id, status: 'PENDING' })).deletedCount;
  }
  const admins = await m.users.find({ pendingTenant: true, createdAt: { $lt: before } }, { _id: 1, kind: 1, partnerId: 1, customerId: 1 }).limit(limit).lean<UserDoc[]>();
  for (const u of admins) {
    const complete = u.customerId ? await m.customers.exists({ _id: u.customerId, status: 'ACTIVE' }) : u.partnerId ? await m.partners.exists({ _id: u.partnerId }) : null;
    if (complete) {
      await m.accounts.tenantComplete(u._id);
      completed++;
    } else if (u.partnerId) {
      await m.groups.deleteMany({ ownerKind: 'PARTNER', ownerId: u.partnerId });
      await m.users.deleteOne({ _id: u._id, pendingTenant: true });
      undone++;
    } else if (u.customerId && !(await m.customers.exists({ _id: u.customerId }))) {
      // Its claim was released already (a later create of the same domain took it over).
      undone += (await m.users.deleteOne({ _id: u._id, pendingTenant: true })).deletedCount;
    }
    // A customer's admin whose claim is still PENDING goes with that claim (above, next sweep).
  }
  return { undone, completed };
}
