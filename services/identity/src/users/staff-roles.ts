import { badInput, CUSTOMER_STAFF_ROLES, PARTNER_STAFF_ROLES, type Caller, type StaffRole } from '@csp/kernel';
import type { UserDoc, UserKind } from './user.model';

/** Roles a new user gets when none are given (contract: partner SALES_AGENT, customer USER). */
export function defaultRoles(kind: UserKind): StaffRole[] {
  return kind === 'PARTNER_USER' ? ['SALES_AGENT'] : kind === 'CUSTOMER_USER' ? ['USER'] : [];
}

/**
 * A user's staff roles. Users stored before roles existed have none stored: the tenant's first
 * user (`admin`) is ADMIN, any other the default — so they keep working without a migration.
 */
export function staffRolesOfUser(u: Pick<UserDoc, 'kind' | 'admin' | 'roles'>): StaffRole[] {
  if (u.kind !== 'PARTNER_USER' && u.kind !== 'CUSTOMER_USER') return [];
  if (u.roles?.length) return u.roles;
  return u.admin ? ['ADMIN'] : defaultRoles(u.kind);
}

/** Validates roles for a user of `kind`: known to that kind, at least one, no duplicates. */
export function parseRoles(kind: UserKind, input: readonly string[], field = 'roles'): StaffRole[] {
  const allowed: readonly string[] = kind === 'PARTNER_USER' ? PARTNER_STAFF_ROLES : kind === 'CUSTOMER_USER' ? CUSTOMER_STAFF_ROLES : [];
  const roles = [...new Set(input.map((r) => r.trim().toUpperCase()))];
  const unknown = roles.filter((r) => !allowed.includes(r));
  if (!roles.length || unknown.length) {
    throw badInput(`${field} must be one or more of ${allowed.join(', ')}${unknown.length ? `; not ${unknown.join(', ')}` : ''}.`, field);
  }
  return roles.sort((a, b) => allowed.indexOf(a) - allowed.indexOf(b)) as StaffRole[];
}

/** The partner or customer tenant whose users the caller administers; null for the operator and machines. */
export function tenantOf(caller: Caller): { kind: 'PARTNER_USER'; partnerId: string } | { kind: 'CUSTOMER_USER'; customerId: string } | null {
  if (caller.kind === 'PARTNER_USER' && caller.partnerId) return { kind: 'PARTNER_USER', partnerId: caller.partnerId };
  if (caller.kind === 'CUSTOMER_USER' && caller.customerId) return { kind: 'CUSTOMER_USER', customerId: caller.customerId };
  return null;
}
