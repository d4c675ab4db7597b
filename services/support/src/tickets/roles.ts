import type { Caller } from '@csp/kernel';

/** Partner staff who answer tickets (the staff-roles table: HELPDESK_AGENT and ADMIN). */
const SUPPORT_ROLES = new Set(['ADMIN', 'HELPDESK_AGENT']);

/**
 * The caller's staff roles. Tokens issued before staff roles existed carry none; their holders
 * are their tenant's first users, who become ADMIN in the staff-roles migration, so they count
 * as ADMIN here until identity issues roles.
 */
export const staffRoles = (caller: Caller): string[] => (caller.roles?.length ? caller.roles : ['ADMIN']);

/** A partner user who may work its partner's support queue. */
export const isSupportStaff = (caller: Caller): caller is Caller & { partnerId: string } =>
  caller.kind === 'PARTNER_USER' && !!caller.partnerId && staffRoles(caller).some((r) => SUPPORT_ROLES.has(r));

export const isTenantAdmin = (caller: Caller): boolean => staffRoles(caller).includes('ADMIN');

export const hasSupportRole = (roles: string[]): boolean => roles.some((r) => SUPPORT_ROLES.has(r));
