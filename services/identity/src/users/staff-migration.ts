import { type AggregateLocks, type Clock, type Logger } from '@csp/kernel';
import type { Model } from 'mongoose';
import { rolesChangedEvent } from './user-accounts';
import type { UserDoc, UserKind } from './user.model';
import { staffRolesOfUser } from './staff-roles';

/**
 * Users stored before staff roles existed get them stored (the first user ADMIN, others the
 * default) and announced (user.rolesChanged), so access-control knows every user. Idempotent:
 * a user with roles is skipped; replicas starting together take the user's lock.
 */
export async function migrateStaffRoles(users: Model<UserDoc>, locks: AggregateLocks, clock: Clock, logger: Logger): Promise<number> {
  const filter = { kind: { $in: ['PARTNER_USER', 'CUSTOMER_USER'] as UserKind[] }, roles: { $exists: false } };
  const legacy = await users.find(filter, { passwordHash: 0, outbox: 0 }).lean<UserDoc[]>();
  for (const u of legacy) {
    await locks.hold(users.collection.name, u._id, async () => {
      const roles = staffRolesOfUser(u);
      const ev = rolesChangedEvent({ ...u, roles }, clock)!;
      await users.updateOne({ _id: u._id, ...filter }, { $set: { roles }, $push: { outbox: ev } });
    }, { waitMs: 10_000 });
  }
  if (legacy.length) logger.info({ users: legacy.length }, 'staff roles stored for users created before roles existed');
  return legacy.length;
}
