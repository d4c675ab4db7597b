import { badInput, conflict, isDuplicateKey, newId, type AggregateLocks, type Clock, type StaffRole } from '@csp/kernel';
import type { Model } from 'mongoose';
import { checkPasswordStrength, hashPassword } from '../auth/passwords';
import { event } from '@csp/events';
import type { UserDoc, UserKind } from './user.model';
import { defaultRoles, staffRolesOfUser } from './staff-roles';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(value: string, field = 'adminEmail'): string {
  const email = value.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254) throw badInput(`${field} must be an email address.`, field);
  return email;
}

export function checkPassword(password: string, field = 'adminPassword'): void {
  const problem = checkPasswordStrength(password);
  if (problem) throw badInput(problem, field);
}

/** Creates sign-in accounts; the unique email index decides between concurrent creators. */
export class UserAccounts {
  constructor(
    private readonly users: Model<UserDoc>,
    private readonly clock: Clock,
    private readonly locks: AggregateLocks,
  ) {}

  async emailTaken(email: string): Promise<boolean> {
    return !!(await this.users.exists({ email }));
  }

  async create(input: { email: string; password: string; kind: UserKind; partnerId?: string; customerId?: string; admin?: boolean; roles?: StaffRole[]; pendingTenant?: boolean }): Promise<UserDoc> {
    const roles = input.admin ? (['ADMIN'] as StaffRole[]) : (input.roles ?? defaultRoles(input.kind));
    const doc: UserDoc = {
      _id: newId('usr'),
      email: input.email,
      passwordHash: await hashPassword(input.password),
      kind: input.kind,
      ...(input.partnerId ? { partnerId: input.partnerId } : {}),
      ...(input.customerId ? { customerId: input.customerId } : {}),
      admin: !!input.admin,
      ...(input.pendingTenant ? { pendingTenant: true } : {}),
      roles,
      createdAt: this.clock.now(),
      outbox: [],
    };
    const ev = rolesChangedEvent(doc, this.clock);
    if (ev) doc.outbox.push(ev);
    try {
      await this.users.create(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`A user with email ${input.email} already exists.`);
      throw err;
    }
    return doc;
  }

  /** The tenant of a pending first admin is complete: the admin may sign in. */
  async tenantComplete(id: string): Promise<void> {
    // The relay rewrites this document to pull its outbox: one writer at a time (ARCHITECTURE.md).
    await this.locks.hold(this.users.collection.name, id, () => this.users.updateOne({ _id: id }, { $unset: { pendingTenant: 1 } }), { waitMs: 10_000 });
  }

  /** Undo for a half-done onboarding (the account was created, the step after it failed). */
  async remove(id: string): Promise<void> {
    await this.users.deleteOne({ _id: id });
  }
}

/** `user.rolesChanged` for a partner or customer user (none for the operator). */
export function rolesChangedEvent(u: Pick<UserDoc, '_id' | 'email' | 'kind' | 'partnerId' | 'customerId' | 'admin' | 'roles'>, clock: Clock) {
  if (u.kind !== 'PARTNER_USER' && u.kind !== 'CUSTOMER_USER') return undefined;
  return event(
    'user.rolesChanged',
    {
      userId: u._id,
      email: u.email,
      kind: u.kind,
      ...(u.partnerId ? { partnerId: u.partnerId } : {}),
      ...(u.customerId ? { customerId: u.customerId } : {}),
      roles: staffRolesOfUser(u),
    },
    clock,
  );
}
