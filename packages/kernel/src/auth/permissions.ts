import { forbidden, unauthenticated } from '../graph/errors';
import type { BaseContext } from '../graph/context';
import { CUSTOMER_STAFF_ROLES, PARTNER_STAFF_ROLES, type Caller, type CustomerStaffRole, type PartnerStaffRole, type StaffRole } from './caller';

/**
 * THE staff-role table: which staff roles (and which client-credential scopes) may run each
 * mutation and sensitive read. Every resolver goes through `authorize(ctx, operation)`; the README
 * section "Staff roles" is rendered from it (a test keeps the two equal) and the authorization
 * matrix is driven by it. Passing this table is necessary, not sufficient: the object-level rules
 * (tenancy, relationships, role assignments in access-control) still decide on the object.
 *
 * - `partner` / `customer`: the staff roles of partner / customer users that may call it.
 * - `operator`: the vendor operator may call it (its own rules still apply in the resolver).
 * - `scopes`: machine clients (client credentials) holding one of these scopes may call it.
 */
export interface Permission {
  partner: readonly PartnerStaffRole[];
  customer: readonly CustomerStaffRole[];
  operator: boolean;
  scopes: readonly string[];
  /** Why, in a few words (shown in the README). */
  note: string;
}

const P = (...r: PartnerStaffRole[]) => r;
const C = (...r: CustomerStaffRole[]) => r;
const ALL_P = PARTNER_STAFF_ROLES;
const ALL_C = CUSTOMER_STAFF_ROLES;
const perm = (partner: readonly PartnerStaffRole[], customer: readonly CustomerStaffRole[], note: string, extra: Partial<Permission> = {}): Permission => ({
  partner,
  customer,
  operator: true,
  scopes: [],
  note,
  ...extra,
});
const operatorOnly = (note: string, scopes: string[] = []): Permission => perm([], [], note, { scopes });

/** Partner staff who look after billing: invoices, unbilled charges (billing/read). */
export const PARTNER_BILLING_READERS = P('ADMIN', 'ADMIN_AGENT', 'BILLING_ADMIN');
export const CUSTOMER_BILLING_READERS = C('ADMIN', 'BILLING_ADMIN');

export const PERMISSIONS = {
  // identity: people and groups
  createUser: perm(P('ADMIN'), C('ADMIN'), "only the tenant's ADMIN adds users", { operator: false }),
  setUserRoles: perm(P('ADMIN'), C('ADMIN'), "only the tenant's ADMIN sets roles (never its own)", { operator: false }),
  createSecurityGroup: perm(P('ADMIN', 'ADMIN_AGENT'), C('ADMIN'), 'a new group holds no role until granted', { operator: false }),
  addSecurityGroupMembers: perm(P('ADMIN'), C('ADMIN'), 'groups hold roles (admin agents: OWNER)', { operator: false }),
  removeSecurityGroupMembers: perm(P('ADMIN'), C('ADMIN'), 'groups hold roles', { operator: false }),
  createClient: perm(P('ADMIN'), [], "the operator, or a partner's ADMIN for its own partner", { scopes: [] }),
  securityGroups: perm(ALL_P, C('ADMIN'), "the tenant's own groups"),
  auditRecords: perm(P('ADMIN', 'ADMIN_AGENT', 'HELPDESK_AGENT'), C('ADMIN'), 'who did what'),
  // identity: partners, customers, relationships
  onboardPartner: operatorOnly('the vendor onboards partners'),
  linkReseller: perm(P('ADMIN'), [], "the distributor's ADMIN", { operator: false }),
  acceptResellerLink: perm(P('ADMIN'), [], "the reseller's ADMIN", { operator: false }),
  createCustomer: perm(P('ADMIN', 'ADMIN_AGENT', 'SALES_AGENT'), [], 'selling', { operator: false, scopes: ['customers:write'] }),
  createRelationshipRequest: perm(P('ADMIN', 'ADMIN_AGENT', 'SALES_AGENT'), [], 'selling', { operator: false }),
  acceptRelationshipRequest: perm([], C('ADMIN'), "the customer's ADMIN", { operator: false }),
  revokeRelationship: perm(P('ADMIN', 'ADMIN_AGENT'), [], 'ends the business'),
  customer: perm(ALL_P, ALL_C, 'visibility decides which', { scopes: ['customers:read', 'customers:write'] }),
  customers: perm(ALL_P, ALL_C, 'visibility decides which', { scopes: ['customers:read', 'customers:write'] }),
  partner: perm(ALL_P, [], 'own partner, a distributor its resellers'),
  partners: perm(ALL_P, [], 'own partner, a distributor its resellers'),
  // subscription: orders, lifecycle, services (access-control decides on the object)
  placeOrder: perm(P('ADMIN', 'ADMIN_AGENT', 'SALES_AGENT'), [], 'selling', { operator: false, scopes: ['orders:write'] }),
  order: perm(P('ADMIN', 'ADMIN_AGENT', 'SALES_AGENT', 'HELPDESK_AGENT'), [], 'orders the partner placed', { scopes: ['orders:write'] }),
  subscription: perm(ALL_P, ALL_C, 'subscription/read decides which', { scopes: ['subscriptions:read'] }),
  updateSubscription: perm(P('ADMIN', 'ADMIN_AGENT', 'SALES_AGENT'), C('ADMIN'), 'and subscription/manage on it', { operator: false }),
  suspendSubscription: perm(P('ADMIN', 'ADMIN_AGENT', 'SALES_AGENT'), C('ADMIN'), 'and subscription/manage on it', { operator: false }),
  reactivateSubscription: perm(P('ADMIN', 'ADMIN_AGENT', 'SALES_AGENT'), C('ADMIN'), 'and subscription/manage on it', { operator: false }),
  cancelSubscription: perm(P('ADMIN', 'ADMIN_AGENT', 'SALES_AGENT'), C('ADMIN'), 'and subscription/manage on it', { operator: false }),
  createService: perm(P('ADMIN', 'ADMIN_AGENT', 'HELPDESK_AGENT'), C('ADMIN', 'USER'), 'and subscription/manage on it', { operator: false }),
  startService: perm(P('ADMIN', 'ADMIN_AGENT', 'HELPDESK_AGENT'), C('ADMIN', 'USER'), 'and subscription/manage on it', { operator: false }),
  stopService: perm(P('ADMIN', 'ADMIN_AGENT', 'HELPDESK_AGENT'), C('ADMIN', 'USER'), 'and subscription/manage on it', { operator: false }),
  deleteService: perm(P('ADMIN', 'ADMIN_AGENT', 'HELPDESK_AGENT'), C('ADMIN', 'USER'), 'and subscription/manage on it', { operator: false }),
  // access-control: role assignments and GDAP
  grantRole: perm(P('ADMIN', 'ADMIN_AGENT'), C('ADMIN', 'USER'), 'and roleAssignments/write (Owner) on the scope', { operator: false }),
  revokeRole: perm(P('ADMIN', 'ADMIN_AGENT'), C('ADMIN', 'USER'), 'and roleAssignments/write (Owner) on the scope', { operator: false }),
  roleAssignments: perm(P('ADMIN', 'ADMIN_AGENT', 'SALES_AGENT', 'HELPDESK_AGENT'), C('ADMIN', 'USER'), 'and roleAssignments/read on the scope'),
  requestAdminRelationship: perm(P('ADMIN', 'ADMIN_AGENT'), [], 'asks for delegated admin rights', { operator: false }),
  approveAdminRelationship: perm([], C('ADMIN'), "only the customer's ADMIN delegates admin rights", { operator: false }),
  assignAdminAccess: perm(P('ADMIN'), [], 'maps a group to roles: raises rights', { operator: false }),
  terminateAdminRelationship: perm(P('ADMIN', 'ADMIN_AGENT'), C('ADMIN'), 'either party ends it', { operator: false }),
  adminRelationship: perm(P('ADMIN', 'ADMIN_AGENT', 'HELPDESK_AGENT'), C('ADMIN'), 'own relationships'),
  // billing (billing/read)
  invoices: perm(PARTNER_BILLING_READERS, CUSTOMER_BILLING_READERS, 'billing/read', { scopes: ['billing:read'] }),
  invoice: perm(PARTNER_BILLING_READERS, CUSTOMER_BILLING_READERS, 'billing/read', { scopes: ['billing:read'] }),
  unbilledCharges: perm(PARTNER_BILLING_READERS, CUSTOMER_BILLING_READERS, 'billing/read (a field of CloudSubscription)', { scopes: ['billing:read'] }),
  markInvoicePaid: perm(P('ADMIN', 'BILLING_ADMIN'), [], 'the issuer', { operator: true }),
  setCustomerPricing: perm(P('ADMIN', 'BILLING_ADMIN'), [], "the customer's selling partner", { operator: false }),
  setResellerPricing: perm(P('ADMIN', 'BILLING_ADMIN'), [], 'a distributor for a linked reseller', { operator: false }),
  recordUsage: operatorOnly('the usage connector', ['usage:write']),
  // billing: money as agreed (currency, VAT, credit notes, payments)
  publishFxRates: operatorOnly("the vendor's monthly exchange rates"),
  publishTaxRates: operatorOnly('VAT rates by country'),
  issueCreditNote: perm(P('ADMIN', 'BILLING_ADMIN'), [], 'the issuer corrects its invoice'),
  recordPayment: perm(P('ADMIN', 'BILLING_ADMIN'), [], 'the issuer records a payment'),
  setPaymentTerms: perm(P('ADMIN', 'BILLING_ADMIN'), [], "the issuer's terms for one bill-to"),
  invoiceSummaries: perm(PARTNER_BILLING_READERS, CUSTOMER_BILLING_READERS, 'billing/read', { scopes: ['billing:read'] }),
  // value-added services: the partner's own offers and charges
  publishPartnerOffer: perm(P('ADMIN', 'ADMIN_AGENT'), [], "the partner's own catalogue", { operator: false }),
  changePartnerOfferPrice: perm(P('ADMIN', 'ADMIN_AGENT', 'BILLING_ADMIN'), [], "the partner's own prices, from a date", { operator: false }),
  retirePartnerOffer: perm(P('ADMIN', 'ADMIN_AGENT'), [], "the partner's own catalogue", { operator: false }),
  partnerOffers: perm(ALL_P, [], "the partner's own catalogue"),
  partnerOffer: perm(ALL_P, [], "the partner's own catalogue"),
  orderableOffers: perm(P('ADMIN', 'ADMIN_AGENT', 'SALES_AGENT'), [], 'selling', { operator: false }),
  fulfilSubscription: perm(P('ADMIN', 'ADMIN_AGENT'), [], 'the partner delivers its own service', { operator: false }),
  addCustomerCharge: perm(P('ADMIN', 'BILLING_ADMIN'), [], "a charge on the partner's own invoice", { operator: false }),
  // the pay-as-you-go read side: budgets and webhooks
  setSpendingBudget: perm(P('ADMIN', 'ADMIN_AGENT', 'BILLING_ADMIN'), [], "the customer's partner sets it", { operator: false }),
  createWebhookEndpoint: perm(P('ADMIN'), [], 'integration settings of the tenant'),
  rotateWebhookSecret: perm(P('ADMIN'), [], 'integration settings of the tenant'),
  webhookEndpoint: perm(P('ADMIN'), [], 'integration settings of the tenant'),
  sendTestWebhook: perm(P('ADMIN'), [], 'integration settings of the tenant'),
  redeliverWebhook: perm(P('ADMIN'), [], 'integration settings of the tenant'),
  // support: the handling side answers (HELPDESK_AGENT, ADMIN); the support service decides on the ticket
  openTicket: perm(ALL_P, ALL_C, 'with a partner of its own, or the vendor (partners)', { operator: false }),
  ticket: perm(ALL_P, ALL_C, 'support decides: requester tenant or handling side (HELPDESK_AGENT, ADMIN)'),
  tickets: perm(ALL_P, ALL_C, 'support decides: requester tenant or handling side (HELPDESK_AGENT, ADMIN)'),
  addTicketNote: perm(ALL_P, ALL_C, 'support decides: requester tenant or handling side (HELPDESK_AGENT, ADMIN)'),
  escalateTicket: perm(P('ADMIN', 'HELPDESK_AGENT'), [], 'the handling partner, to the next level up', { operator: false }),
  assignTicket: perm(P('ADMIN', 'HELPDESK_AGENT'), [], 'within the handling side'),
  supportTargets: perm(P('ADMIN', 'HELPDESK_AGENT'), [], "the partner's own response targets"),
  setSupportTargets: perm(P('ADMIN'), [], "the partner's own response targets", { operator: false }),
  startInvoiceRun: operatorOnly('the vendor invoices'),
  invoiceRun: operatorOnly('the vendor invoices'),
  // catalog and operations: the vendor
  upsertMarket: operatorOnly('the vendor sells'),
  publishOffer: operatorOnly('the vendor sells'),
  setOfferAvailability: operatorOnly('the vendor sells'),
  setOfferPrices: operatorOnly('the vendor sells'),
  publishRateCard: operatorOnly('the vendor sells'),
  retryJob: operatorOnly('operations'),
  queues: operatorOnly('operations'),
  jobs: operatorOnly('operations'),
  advanceClock: operatorOnly('test clock'),
} satisfies Record<string, Permission>;

export type Operation = keyof typeof PERMISSIONS;

/** Every scope a machine client may be given (the ones the table names). */
export const CLIENT_SCOPES: readonly string[] = [...new Set(Object.values(PERMISSIONS).flatMap((p: Permission) => [...p.scopes]))].sort();

/** Scopes a partner's ADMIN may give its own machine clients: those of operations partner staff may run. */
export const PARTNER_CLIENT_SCOPES: readonly string[] = [
  ...new Set(Object.values(PERMISSIONS).flatMap((p: Permission) => (p.partner.length ? [...p.scopes] : []))),
].sort();

/** The staff roles a user of this kind may hold. */
export function staffRolesOf(kind: Caller['kind']): readonly StaffRole[] {
  return kind === 'PARTNER_USER' ? PARTNER_STAFF_ROLES : kind === 'CUSTOMER_USER' ? CUSTOMER_STAFF_ROLES : [];
}

/** Whether the table lets this caller run `op` (before any object-level rule). */
export function staffAllows(caller: Pick<Caller, 'kind' | 'roles' | 'scopes'>, op: Operation): boolean {
  const p: Permission = PERMISSIONS[op];
  switch (caller.kind) {
    case 'OPERATOR':
      return p.operator;
    case 'SERVICE':
      return (caller.scopes ?? []).some((s) => p.scopes.includes(s));
    case 'PARTNER_USER':
      return (caller.roles ?? []).some((r) => (p.partner as readonly string[]).includes(r));
    case 'CUSTOMER_USER':
      return (caller.roles ?? []).some((r) => (p.customer as readonly string[]).includes(r));
    default:
      return false;
  }
}

/** The FORBIDDEN message for a refusal by the table (the same for every object: no oracle). */
export function staffRefusal(caller: Pick<Caller, 'kind' | 'roles' | 'scopes'>, op: Operation): string {
  const p: Permission = PERMISSIONS[op];
  if (caller.kind === 'SERVICE') {
    return p.scopes.length ? `${op} needs a client scope of ${p.scopes.join(', ')}.` : `${op} is not open to machine clients.`;
  }
  if (caller.kind === 'OPERATOR') return `${op} is not for the vendor operator.`;
  const allowed = caller.kind === 'PARTNER_USER' ? p.partner : caller.kind === 'CUSTOMER_USER' ? p.customer : [];
  const held = caller.roles?.length ? caller.roles.join(', ') : 'none';
  return allowed.length
    ? `Your staff role (${held}) does not allow ${op}; it needs ${allowed.join(' or ')}.`
    : `Your staff role (${held}) does not allow ${op}: no ${caller.kind === 'PARTNER_USER' ? 'partner' : 'customer'} role does.`;
}

/** Throws FORBIDDEN unless the table lets the caller run `op`. */
export function requireStaff(caller: Caller, op: Operation): Caller {
  if (!staffAllows(caller, op)) throw forbidden(staffRefusal(caller, op));
  return caller;
}

/** The usual resolver entry: signed in (UNAUTHENTICATED otherwise) and allowed by the table. */
export function authorize(ctx: BaseContext, op: Operation): Caller {
  if (!ctx.caller) throw unauthenticated();
  return requireStaff(ctx.caller, op);
}

/** The table as README markdown (section "Staff roles"); a test keeps the README equal to it. */
export function renderStaffRoleTable(): string {
  const yes = (b: boolean) => (b ? '✓' : '');
  const head = ['operation', ...PARTNER_STAFF_ROLES.map((r) => `P:${r}`), ...CUSTOMER_STAFF_ROLES.map((r) => `C:${r}`), 'operator', 'client scopes', 'note'];
  const rows = (Object.entries(PERMISSIONS) as Array<[string, Permission]>).map(([op, p]) => [
    `\`${op}\``,
    ...PARTNER_STAFF_ROLES.map((r) => yes(p.partner.includes(r))),
    ...CUSTOMER_STAFF_ROLES.map((r) => yes(p.customer.includes(r))),
    yes(p.operator),
    p.scopes.map((s) => `\`${s}\``).join(' '),
    p.note,
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
