import { event } from '@csp/events';
import { badInput, conflict, forbidden, isDuplicateKey, newId, type Caller, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { UserDoc } from '../users/user.model';
import type { GroupDoc, GroupOwnerKind } from './group.model';

export class GroupService {
  constructor(
    private readonly groups: Model<GroupDoc>,
    private readonly users: Model<UserDoc>,
    private readonly clock: Clock,
  ) {}

  /** A partner user makes a group of its partner's users; a customer user one of its tenant's. */
  async create(caller: Caller, nameInput: string, memberIds: readonly string[] = []): Promise<GroupDoc> {
    let owner: { kind: GroupOwnerKind; id: string; field: 'partnerId' | 'customerId' };
    if (caller.kind === 'PARTNER_USER' && caller.partnerId) owner = { kind: 'PARTNER', id: caller.partnerId, field: 'partnerId' };
    else if (caller.kind === 'CUSTOMER_USER' && caller.customerId) owner = { kind: 'CUSTOMER', id: caller.customerId, field: 'customerId' };
    else throw forbidden('Security groups belong to a partner or a customer: only their users create them.');

    const name = nameInput.trim();
    if (!name || name.length > 100) throw badInput('name must have 1 to 100 characters.', 'name');
    const ids = [...new Set(memberIds)];
    if (ids.length > 500) throw badInput('A group is created with at most 500 members.', 'memberIds');
    if (ids.length) {
      const found = await this.users.find({ _id: { $in: ids }, [owner.field]: owner.id }, { _id: 1 }).lean<Pick<UserDoc, '_id'>[]>();
      const ok = new Set(found.map((u) => u._id));
      const strangers = ids.filter((id) => !ok.has(id));
      // Unknown users and other tenants' users read the same.
      if (strangers.length) throw badInput(`Not users of your ${owner.kind.toLowerCase()}: ${strangers.join(', ')}.`, 'memberIds');
    }
    const groupId = newId('grp');
    const doc: GroupDoc = {
      _id: groupId,
      name,
      ownerKind: owner.kind,
      ownerId: owner.id,
      memberIds: ids,
      createdAt: this.clock.now(),
      outbox: [event('group.membershipChanged', { groupId, ownerKind: owner.kind, ownerId: owner.id, memberIds: ids }, this.clock)],
    };
    try {
      await this.groups.create(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`A group named "${name}" already exists.`);
      throw err;
    }
    return doc;
  }

  /** Group ids embedded in the user's tokens. */
  async groupsOf(userId: string): Promise<string[]> {
    const docs = await this.groups.find({ memberIds: userId }, { _id: 1 }).lean<Pick<GroupDoc, '_id'>[]>();
    return docs.map((d) => d._id);
  }
}
