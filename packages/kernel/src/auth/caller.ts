export type CallerKind = 'OPERATOR' | 'PARTNER_USER' | 'CUSTOMER_USER' | 'SERVICE';

/** Staff roles inside a tenant, as in Partner Center. What each may do is the staff-role table. */
export const PARTNER_STAFF_ROLES = ['ADMIN', 'ADMIN_AGENT', 'SALES_AGENT', 'HELPDESK_AGENT', 'BILLING_ADMIN'] as const;
export const CUSTOMER_STAFF_ROLES = ['ADMIN', 'BILLING_ADMIN', 'USER'] as const;
export type PartnerStaffRole = (typeof PARTNER_STAFF_ROLES)[number];
export type CustomerStaffRole = (typeof CUSTOMER_STAFF_ROLES)[number];
export type StaffRole = PartnerStaffRole | CustomerStaffRole;

/** Who is calling, as the verified token says. Resolvers authorize against this only. */
export interface Caller {
  userId: string;
  kind: CallerKind;
  email?: string;
  partnerId?: string;
  customerId?: string;
  /** Security groups the user belonged to when the token was issued. */
  groupIds: string[];
  /** Machine clients: what the client-credential grant allows, e.g. "usage:write". */
  scopes: string[];
  /** Staff roles of a partner or customer user within its own tenant (empty for others). */
  roles: StaffRole[];
}

/** Claim names inside our access tokens (short: they travel on every request). */
export interface AccessClaims {
  sub: string;
  kind: CallerKind;
  email?: string;
  pid?: string;
  cid?: string;
  grp?: string[];
  scp?: string[];
  rol?: StaffRole[];
}

export function callerFromClaims(c: AccessClaims): Caller {
  return {
    userId: c.sub,
    kind: c.kind,
    email: c.email,
    partnerId: c.pid,
    customerId: c.cid,
    groupIds: c.grp ?? [],
    scopes: c.scp ?? [],
    roles: c.rol ?? [],
  };
}

export function claimsFromCaller(c: Caller): AccessClaims {
  return {
    sub: c.userId,
    kind: c.kind,
    ...(c.email ? { email: c.email } : {}),
    ...(c.partnerId ? { pid: c.partnerId } : {}),
    ...(c.customerId ? { cid: c.customerId } : {}),
    ...(c.groupIds.length ? { grp: c.groupIds } : {}),
    ...(c.scopes.length ? { scp: c.scopes } : {}),
    ...(c.roles?.length ? { rol: c.roles } : {}),
  };
}
