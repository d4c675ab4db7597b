import { forbidden, notFound, type AggregateLocks, type Caller, type Clock, type StaffRole } from '@csp/kernel';
import type { Model } from 'mongoose';
import { rolesChangedEvent } from './user-accounts';
import type { UserDoc } from './user.model';
import { parseRoles, staffRolesOfUser, tenantOf } from './staff-roles';

/** A tenant's ADMIN sets its users' staff roles (the table has let only ADMINs in). */
export class StaffService {
  constructor(
    private readonly users: Model<UserDoc>,
    private readonly locks: AggregateLocks,
    private readonly clock: Clock,
  ) {}

  /**
   * Another tenant's user, the operator and unknown ids all answer NOT_FOUND. Nobody sets its own
   * roles: an ADMIN cannot lock its tenant out by demoting itself, and nobody raises itself.
   */
  async setRoles(caller: Caller, userId: string, input: readonly string[]): Promise<UserDoc> {
    const tenant = tenantOf(caller);
    if (!tenant) throw forbidden("Only a partner's or customer's ADMIN sets staff roles.");
    return this.locks.hold(
      this.users.collection.name,
      userId,
      async () => {
        const user = await this.users.findOne({ _id: userId, ...tenant }, { passwordHash: 0, outbox: 0 }).lean<UserDoc>();
        if (!user) throw notFound('User', userId);
        if (user._id === caller.userId) throw forbidden('Nobody changes their own staff roles; ask another ADMIN of your tenant.');
        const roles: StaffRole[] = parseRoles(user.kind, input);
        const current = staffRolesOfUser(user);
        const next: UserDoc = { ...user, roles, admin: roles.includes('ADMIN') };
        if (current.length === roles.length && current.every((r, i) => r === roles[i]) && user.roles?.length) return next;
        const ev = rolesChangedEvent(next, this.clock)!;
        await this.users.updateOne({ _id: userId }, { $set: { roles, admin: next.admin }, $push: { outbox: ev } });
        return next;
      },
      { waitMs: 10_000 },
    );
  }
}
