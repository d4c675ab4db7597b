import { event } from '@csp/events';
import { badInput, cleanName, conflict, forbidden, isDuplicateKey, newId, notFound, type AggregateLocks, type Caller, type Clock } from '@csp/kernel';
import type { UserDoc } from '../users/user.model';
import type { GroupDoc, GroupOwnerKind } from './group.model';
import type { IdentityModels } from '../models';

interface Owner {
  kind: GroupOwnerKind;
  id: string;
  field: 'partnerId' | 'customerId';
}

export class GroupService {
  constructor(
    private readonly models: Pick<IdentityModels, 'groups' | 'users'>,
    private readonly locks: AggregateLocks,
    private readonly clock: Clock,
  ) {}

  private owner(caller: Caller): Owner {
    if (caller.kind === 'PARTNER_USER' && caller.partnerId) return { kind: 'PARTNER', id: caller.partnerId, field: 'partnerId' };
    if (caller.kind === 'CUSTOMER_USER' && caller.customerId) return { kind: 'CUSTOMER', id: caller.customerId, field: 'customerId' };
    throw forbidden('Security groups belong to a partner or a customer: only their users manage them.');
  }

  /** Unknown users and other tenants' users read the same: NOT_FOUND naming the first of them. */
  private async checkMembers(owner: Owner, ids: string[]): Promise<void> {
    if (ids.length > 500) throw badInput('At most 500 members at a time.', 'memberIds');
    if (!ids.length) return;
    const found = await this.models.users.find({ _id: { $in: ids }, [owner.field]: owner.id }, { _id: 1 }).lean<Pick<UserDoc, '_id'>[]>();
    const ok = new Set(found.map((u) => u._id));
    const strangers = ids.filter((id) => !ok.has(id));
    // Another tenant's user id is answered like an id that exists nowhere (project rule).
    if (strangers.length) throw notFound('User', strangers[0]);
  }

  /**
   * Adds or removes members. The group document is rewritten under its lock (the relay takes
   * the same one), and the event carries the whole member list, so consumers never merge.
   */
  async changeMembers(caller: Caller, groupId: string, change: { add?: readonly string[]; remove?: readonly string[] }): Promise<GroupDoc> {
    const owner = this.owner(caller);
    const add = [...new Set(change.add ?? [])];
    const remove = new Set(change.remove ?? []);
    await this.checkMembers(owner, add);
    return this.locks.hold(this.models.groups.collection.name, groupId, async () => {
      const group = await this.models.groups.findById(groupId, { outbox: 0 }).lean<GroupDoc>();
      if (!group || group.ownerId !== owner.id) throw notFound('SecurityGroup', groupId);
      const members = [...group.memberIds.filter((id) => !remove.has(id)), ...add.filter((id) => !group.memberIds.includes(id))];
      if (members.length === group.memberIds.length && members.every((id, i) => id === group.memberIds[i])) return group;
      const ev = event('group.membershipChanged', { groupId, ownerKind: group.ownerKind, ownerId: group.ownerId, memberIds: members }, this.clock);
      await this.models.groups.updateOne({ _id: groupId }, { $set: { memberIds: members }, $push: { outbox: ev } });
      return { ...group, memberIds: members };
    }, { waitMs: 10_000 });
  }

  /** A partner user makes a group of its partner's users; a customer user one of its tenant's. */
  async create(caller: Caller, nameInput: string, memberIds: readonly string[] = []): Promise<GroupDoc> {
    const owner = this.owner(caller);

    const name = cleanName(nameInput, 'name', 100);
    const ids = [...new Set(memberIds)];
    await this.checkMembers(owner, ids);
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
      await this.models.groups.create(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`A group named "${name}" already exists.`);
      throw err;
    }
    return doc;
  }

  /** Group ids embedded in the user's tokens. */
  async groupsOf(userId: string): Promise<string[]> {
    const docs = await this.models.groups.find({ memberIds: userId }, { _id: 1 }).lean<Pick<GroupDoc, '_id'>[]>();
    return docs.map((d) => d._id);
  }
}
