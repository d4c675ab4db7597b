import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  Kind,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  typeFromAST,
  type TypeNode,
  validate,
} from 'graphql';
import {
  buildWorld,
  contractOperations,
  PENDING_OPERATIONS,
  startStack,
  WORLD_STACK_ENV,
  type ContractOperation,
  type Estate,
  type GraphQLResponse,
  type Stack,
  type World,
} from '@csp/testkit';
import { CUSTOMER_STAFF_ROLES, PARTNER_STAFF_ROLES, PERMISSIONS, staffAllows, type Operation } from '@csp/kernel';
import { DEFAULT_SUPERGRAPH } from '../src/server';

/**
 * Object-level authorization matrix, generated from the contract (../shared/contract): every
 * operation that takes an id or a scope is called by parties that have no business with the
 * object it names — an unrelated partner, an unrelated customer, a reseller without a
 * relationship, a distributor for a reseller it is not linked to, the second partner of a
 * multi-partner customer (on what the first partner sold it), and nobody — and must answer
 * NOT_FOUND / FORBIDDEN / UNAUTHENTICATED with nothing of the target anywhere in the answer.
 *
 * - A new contract operation that takes an id fails "has a target" until TARGETS says what its
 *   id names: nothing slips through.
 * - Control: the owner's same call succeeds, so each denial is about the caller, not a wrong id.
 * - No existence oracle: another tenant's id is answered exactly like an id that exists nowhere.
 * - Queries without an id (lists) show each caller nothing of the objects aimed at.
 */

type Vars = Record<string, unknown>;
type CallerKey = 'unrelatedPartner' | 'unrelatedCustomer' | 'resellerWithoutRelationship' | 'distributorOfOtherReseller' | 'secondPartnerOfCustomer' | 'anonymous';

interface Caller {
  key: CallerKey | 'owner';
  label: string;
  token?: string;
  /** Whose objects it aims at. */
  estate: Estate;
  /** A principal of the caller's own (it tries to grant itself access). */
  principalId: string;
  /** One of the caller's own security groups, where it has one. */
  groupId?: string;
  /** What the caller legitimately knows of the estate (not a leak when it shows). */
  knows?: string[];
  /** Root fields the caller may legitimately use on the estate (then only nothing else may leak). */
  mayAct?: string[];
}

interface Ctx {
  w: World;
  /** Tokens of the world's parties, for the owner controls. */
  as: Record<'operator' | 'A' | 'CA' | 'D2', string>;
  t: Estate;
  c: Caller;
  today: string;
  unique: string;
}

interface Target {
  /** One or more variable sets, each naming one of the estate's objects. */
  variants(x: Ctx): Vars[];
  /**
   * error (default): an error and null data. denied: the field answers for the caller
   * (checkAccess), so `allowed: false`. filter: the id only filters a list (an empty list is fine).
   */
  expect?: 'error' | 'denied' | 'filter';
  /** Callers for whom the call is legitimate by design, with why. */
  exempt?: Partial<Record<CallerKey, string>>;
  /** Runs after the rest: if it leaked, it would change the world. */
  destructive?: boolean;
  /**
   * Who may make the same call on CA's estate (the control: it must succeed, so the denials above
   * are about the caller and not about a wrong id). A string says why there is no control.
   */
  owner: ((x: Ctx, variant: number) => string) | { none: string };
  /** Brings the target into the state the owner's call needs. */
  beforeControl?: (x: Ctx) => Promise<unknown>;
}

/** Root field → what its id names in the target estate. The only hand-written part. */
const TARGETS: Record<string, Target> = {
  // orders.graphql
  subscription: { owner: ({ as }) => as.A, variants: ({ t, today }) => [{ id: t.azureSubscriptionId, from: `${today.slice(0, 7)}-01`, to: today }, { id: t.licenseSubscriptionId, from: `${today.slice(0, 7)}-01`, to: today }] },
  placeOrder: {
    owner: ({ as }) => as.A,
    variants: ({ t, w, unique }) => [{ input: { customerId: t.customer.id, idempotencyKey: `authz-${unique}`, lineItems: [{ offerId: w.offers.license, quantity: 2 }] } }],
  },
  updateSubscription: { owner: ({ as }) => as.A, variants: ({ t }) => [{ id: t.licenseSubscriptionId, quantity: 2, friendlyName: 'x' }] },
  suspendSubscription: { owner: ({ as }) => as.A, variants: ({ t }) => [{ id: t.licenseSubscriptionId, reason: 'x' }] },
  reactivateSubscription: {
    owner: ({ as }) => as.A,
    beforeControl: ({ t, as }) => stack.op('SuspendSubscription', { id: t.licenseSubscriptionId, reason: 'control' }, as.A),
    variants: ({ t }) => [{ id: t.licenseSubscriptionId }] },
  cancelSubscription: { owner: ({ as }) => as.A, variants: ({ t }) => [{ id: t.licenseSubscriptionId }], destructive: true },
  createService: { owner: ({ as }) => as.A, variants: ({ t, w, unique }) => [{ subscriptionId: t.azureSubscriptionId, name: `authz-new-${unique}`, meterId: w.meterId }] },
  startService: { owner: ({ as }) => as.A, variants: ({ t }) => [{ subscriptionId: t.azureSubscriptionId, name: t.serviceName }] },
  stopService: { owner: ({ as }) => as.A, variants: ({ t }) => [{ subscriptionId: t.azureSubscriptionId, name: t.serviceName }] },
  // access.graphql
  grantRole: {
    owner: ({ as }) => as.A,
    variants: ({ t, c }) => [
      { input: { principalId: c.principalId, role: 'READER', scope: t.subscriptionScope } },
      { input: { principalId: c.principalId, role: 'CONTRIBUTOR', scope: t.serviceScope } },
    ],
  },
  revokeRole: { owner: ({ as }) => as.A, variants: ({ t }) => [{ assignmentId: t.assignmentId }], destructive: true },
  checkAccess: {
    owner: ({ as }) => as.A,
    expect: 'denied',
    variants: ({ t }) => [
      { scope: t.subscriptionScope, action: 'subscription/read' },
      { scope: t.subscriptionScope, action: 'roleAssignments/write' },
      { scope: t.serviceScope, action: 'subscription/manage' },
    ],
  },
  roleAssignments: { owner: ({ as }) => as.A, variants: ({ t }) => [{ scope: t.subscriptionScope }, { scope: t.serviceScope }] },
  createSecurityGroup: {
    owner: ({ as }, i) => (i === 0 ? as.CA : as.A),
    variants: ({ t, unique }) => [
      { name: `authz-grab-${unique}`, memberIds: [t.customer.userId] },
      { name: `authz-grab2-${unique}`, memberIds: [t.partner.userId] },
    ],
  },
  requestAdminRelationship: { owner: ({ as }) => as.A, variants: ({ t }) => [{ customerId: t.customer.id, duration: 'P30D', roles: ['READER'] }] },
  approveAdminRelationship: { owner: ({ as }) => as.CA, variants: ({ t }) => [{ id: t.gdapPendingId }] },
  assignAdminAccess: {
    owner: ({ as }) => as.A,
    variants: ({ t, c }) => [{ relationshipId: t.gdapActiveId, groupId: c.groupId ?? t.partner.groupId, roles: ['READER'] }],
  },
  terminateAdminRelationship: { owner: ({ as }) => as.A, variants: ({ t }) => [{ id: t.gdapActiveId }, { id: t.gdapPendingId }], destructive: true },
  // billing.graphql
  recordUsage: {
    owner: ({ as }) => as.operator,
    variants: ({ t, w, today, unique }) => [{ records: [{ recordId: `authz-${unique}`, subscriptionId: t.azureSubscriptionId, meterId: w.meterId, quantity: '2', usageDate: today }] }],
  },
  invoiceRun: { owner: ({ as }) => as.operator, variants: ({ w }) => [{ id: w.invoiceRunId }] },
  invoice: { owner: ({ as }) => as.A, variants: ({ t }) => t.invoices.map((i) => ({ id: i.id, first: 10 })) },
  setCustomerPricing: { owner: ({ as }) => as.A, variants: ({ t }) => [{ customerId: t.customer.id, markupPercent: '5' }] },
  setResellerPricing: { owner: ({ as }) => as.D2, variants: ({ w }) => [{ resellerId: w.partners.R2.id, markupPercent: '5' }] },
  markInvoicePaid: { owner: ({ as }, i) => (i === 0 ? as.A : as.operator), variants: ({ t }) => t.invoices.map((i) => ({ id: i.id })), destructive: true },
  // money.graphql: only the issuer records payments and credit notes (the bill-to gets FORBIDDEN, others NOT_FOUND).
  recordPayment: {
    owner: ({ as }, i) => (i === 0 ? as.A : as.operator),
    variants: ({ t, today, unique }) => t.invoices.map((i) => ({ invoiceId: i.id, amount: { amount: '0.01', currency: 'EUR' }, receivedOn: today, idempotencyKey: `authz-${unique}` })),
  },
  issueCreditNote: {
    owner: ({ as }, i) => (i === 0 ? as.A : as.operator),
    variants: ({ t, unique }) => t.invoices.map((i) => ({ input: { invoiceId: i.id, reason: 'authz', idempotencyKey: `authz-${unique}` } })),
    destructive: true,
  },
  // usage.graphql: only the customer's partner sets its budget.
  setSpendingBudget: { owner: ({ as }) => as.A, variants: ({ t }) => [{ customerId: t.customer.id, amount: { amount: '100.00', currency: 'EUR' }, thresholdsPercent: [50, 100] }] },
  // webhooks.graphql: an estate's partner owns its endpoint (registered below, with a test delivery).
  webhookEndpoint: { owner: ({ as }) => as.A, variants: ({ t }) => [{ endpointId: hooks.get(t.customer.id)!.endpointId, first: 10 }] },
  sendTestWebhook: { owner: ({ as }) => as.A, variants: ({ t }) => [{ endpointId: hooks.get(t.customer.id)!.endpointId }] },
  redeliverWebhook: { owner: ({ as }) => as.A, variants: ({ t }) => [{ deliveryId: hooks.get(t.customer.id)!.deliveryId }] },
  // catalog.graphql: operator only.
  setOfferAvailability: { owner: ({ as }) => as.operator, variants: ({ w }) => [{ offerId: w.offers.license, markets: ['DE'] }] },
  // jobs.graphql: operator only, and the audit log filtered by another tenant's object.
  retryJob: { owner: { none: 'only a failed job can be retried; the world has none' }, variants: ({ w }) => [{ queue: w.job.queue, id: w.job.id }] },
  auditRecords: { expect: 'filter', owner: ({ as }) => as.A, variants: ({ t }) => [{ targetId: t.azureSubscriptionId, first: 50 }, { targetId: t.customer.id, first: 50 }, { targetId: t.partner.id, first: 50 }] },
  // partners.graphql: R2 is linked to D2 only.
  partner: { owner: ({ as }) => as.A, variants: ({ t }) => [{ id: t.partner.id }, { id: t.billingPartner.id }] },
  linkReseller: {
    owner: { none: 'R2 is linked to D2 already' },
    variants: ({ w }) => [{ resellerId: w.partners.R2.id }],
    exempt: {
      distributorOfOtherReseller: 'any distributor may invite a reseller of its market (the link stays PENDING until the reseller accepts); the last test of this file checks it opens nothing',
    },
  },
  // support.graphql: CA asked A (ticketId), A asked the vendor (upstreamTicketId); openTicket names the estate's partner or subscription.
  ticket: { owner: ({ as }, i) => (i === 0 ? as.CA : as.A), variants: ({ t }) => [{ id: t.ticketId }, { id: t.upstreamTicketId }] },
  openTicket: {
    owner: ({ as }, i) => (i === 0 ? as.CA : as.A),
    variants: ({ t }) => [
      { input: { partnerId: t.partner.id, severity: 'MINIMAL', topic: 'OTHER', title: 'authz', description: 'authz' } },
      { input: { toVendor: true, subscriptionId: t.azureSubscriptionId, severity: 'MINIMAL', topic: 'OTHER', title: 'authz', description: 'authz' } },
    ],
  },
  addTicketNote: { owner: ({ as }) => as.A, variants: ({ t }) => [{ ticketId: t.ticketId, body: 'authz' }, { ticketId: t.upstreamTicketId, body: 'authz' }] },
  escalateTicket: { owner: ({ as }) => as.A, variants: ({ t }) => [{ ticketId: t.ticketId, description: 'authz' }], destructive: true },
  // partner-offers.graphql (issue 19)
  publishPartnerOffer: {
    owner: ({ as }) => as.A,
    variants: ({ w, unique }) => [
      { input: { name: `Authz add-on ${unique}`, chargeType: 'MONTHLY', unitPrice: { amount: '5.00', currency: 'EUR' }, fulfilment: 'MANUAL', attachesToOfferId: w.offers.azure } },
    ],
    exempt: {
      unrelatedPartner: 'any partner publishes offers of its own; the vendor offer an add-on attaches to is public',
      resellerWithoutRelationship: 'any partner publishes offers of its own; the vendor offer an add-on attaches to is public',
      distributorOfOtherReseller: 'any partner publishes offers of its own; the vendor offer an add-on attaches to is public',
      secondPartnerOfCustomer: 'any partner publishes offers of its own; the vendor offer an add-on attaches to is public',
    },
  },
  orderableOffers: {
    owner: ({ as }) => as.A,
    variants: ({ t }) => [{ customerId: t.customer.id, first: 50 }],
    exempt: { secondPartnerOfCustomer: "CB is U's customer too: U lists what it may order for CB (the vendor's offers and its own), nothing of A's" },
  },
  fulfilSubscription: { owner: { none: 'the world has no MANUAL partner offer waiting (gateway/test/partner-offers.test.ts fulfils one)' }, variants: ({ t }) => [{ id: t.licenseSubscriptionId, note: 'x' }] },
  addCustomerCharge: {
    owner: ({ as }) => as.A,
    variants: ({ t, unique }) => [{ input: { customerId: t.customer.id, description: 'Authz charge', amount: { amount: '1.00', currency: 'EUR' }, idempotencyKey: `authz-${unique}` } }],
    exempt: { secondPartnerOfCustomer: "CB is U's customer too: U may charge CB on its own invoices (it never sees A's)" },
  },
  // staff.graphql: CA's ADMIN sets its USER's roles (unchanged); elsewhere the estate's customer admin.
  setUserRoles: {
    owner: ({ as }) => as.CA,
    variants: ({ t, w }) => [{ userId: t.key === 'CA' ? w.staff.CA.USER.userId : t.customer.userId, roles: ['USER'] }],
  },
  // customers.graphql
  customer: { owner: ({ as }) => as.A, variants: ({ t }) => [{ id: t.customer.id, customerId: t.customer.id }] },
  createCustomer: {
    owner: ({ as }) => as.D2,
    variants: ({ w, unique }) => [
      {
        input: {
          companyName: `Authz Grab ${unique}`,
          domain: `authz-grab-${unique}.example`,
          country: 'DE',
          adminEmail: `admin@authz-grab-${unique}.example`,
          adminPassword: 'grab-password-1',
          associatedResellerId: w.partners.R2.id,
        },
      },
    ],
  },
};

const DENIAL = new Set(['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED']);

// ---------------------------------------------------------------- the contract, read generically

const schema: GraphQLSchema = Supergraph.build(readFileSync(DEFAULT_SUPERGRAPH, 'utf8')).apiSchema().toGraphQLJSSchema();

/** Fields that name an object (a tax id is a VAT number, not an object's id). */
const idName = (n: string) => n !== 'taxId' && (n === 'id' || n === 'scope' || /Ids?$/.test(n));

/** Whether an input type holds (at any depth) a field that names an object. */
function inputNamesObject(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => idName(f.name) || inputNamesObject(f.type, seen));
}

const definition = (op: ContractOperation) => op.document.definitions[0] as OperationDefinitionNode;
const rootFields = (op: ContractOperation) => definition(op).selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));

/** The variables of `op` that name an object (an id, a scope, or an input holding one). */
function objectVariables(op: ContractOperation): string[] {
  return (definition(op).variableDefinitions ?? [])
    .filter((v) => {
      const type = typeFromAST(schema, v.type as never) as GraphQLInputType | undefined;
      return idName(v.variable.name.value) || (type !== undefined && inputNamesObject(type));
    })
    .map((v) => v.variable.name.value);
}

/** A valid value for a variable no target sets. */
function filler(typeNode: TypeNode, now: string): unknown {
  const type = getNullableType(typeFromAST(schema, typeNode as never) as GraphQLInputType);
  if (isListType(type)) return [];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  switch (named.name) {
    case 'Int':
      return 2;
    case 'Decimal':
      return '1';
    case 'DateTime':
      return now;
    case 'Boolean':
      return false;
    default:
      return 'x';
  }
}

function variablesFor(op: ContractOperation, given: Vars, now: string): Vars {
  const out: Vars = {};
  for (const v of definition(op).variableDefinitions ?? []) {
    const name = v.variable.name.value;
    if (name in given) out[name] = given[name];
    else if (v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue) out[name] = filler(v.type, now);
  }
  return out;
}

const ops = [...contractOperations().values()];
// AUTHZ_MATRIX_INCLUDE_PENDING=1 runs pending operations too (to look ahead while they land).
const pending = new Set(process.env.AUTHZ_MATRIX_INCLUDE_PENDING ? [] : PENDING_OPERATIONS);
const covered = ops.filter((op) => objectVariables(op).length > 0);
const runnable = covered.filter((op) => !pending.has(op.name) && rootFields(op).every((f) => TARGETS[f]));
// Reads first, then mutations; those that would change the world if they leaked, last.
const rank = (op: ContractOperation) => (op.kind === 'query' ? 0 : rootFields(op).some((f) => TARGETS[f]?.destructive) ? 2 : 1);
runnable.sort((a, b) => rank(a) - rank(b));

// ---------------------------------------------------------------- the world and its callers

let stack: Stack;
let world: World;
let callers: Caller[];
let as: Ctx['as'];
let now = '';
let today = '';
let seq = 0;

beforeAll(async () => {
  stack = await startStack('authzmatrix', { env: { ...WORLD_STACK_ENV, LOG_LEVEL: 'silent' } });
  world = await buildWorld(stack);
  const { A, D, R, U } = world.partners;
  const { CU } = world.customers;
  const { CA, CR2, CB } = world.estates;
  callers = [
    { key: 'unrelatedPartner', label: `unrelated partner U (${U.id}) on CA`, token: U.token, estate: CA, principalId: U.groupId, groupId: U.groupId },
    { key: 'unrelatedCustomer', label: `unrelated customer CU (${CU.id}) on CA`, token: CU.token, estate: CA, principalId: CU.userId },
    { key: 'resellerWithoutRelationship', label: `reseller R (${R.id}) without a relationship on CA`, token: R.token, estate: CA, principalId: R.groupId, groupId: R.groupId },
    { key: 'distributorOfOtherReseller', label: `distributor D (${D.id}) on non-linked reseller R2's customer CR2`, token: D.token, estate: CR2, principalId: D.groupId, groupId: D.groupId },
    {
      // CB works with A and U: U may act on CB itself, never on what A sold CB.
      key: 'secondPartnerOfCustomer',
      label: `U (${U.id}), CB's second partner, on A's objects for CB`,
      token: U.token,
      estate: CB,
      principalId: U.groupId,
      groupId: U.groupId,
      knows: [CB.customer.id, CB.customer.companyName, CB.customer.domain, CB.customer.email, CB.customer.userId],
      mayAct: ['customer', 'placeOrder', 'requestAdminRelationship', 'setCustomerPricing', 'auditRecords'],
    },
    { key: 'anonymous', label: 'anonymous on CA', estate: CA, principalId: CA.customer.userId },
  ];
  as = { operator: world.operator.token, A: A.token, CA: CA.customer.token, D2: world.partners.D2.token };
  now = new Date((await stack.op('Clock')).data.clock.now).toISOString();
  today = now.slice(0, 10);
  // Sanity: every caller's token is real (so no denial below is a broken token's), and the
  // distributor D does see its own reseller's customer.
  for (const c of callers.filter((x) => x.token)) expect((await stack.op('Me', {}, c.token)).data?.me?.id).toEqual(expect.stringMatching(/^usr_/));
  const dSees = await stack.op('Customers', { first: 50 }, D.token);
  expect(dSees.data.customers.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(world.customers.CR.id);
  const own = await stack.op('Subscription', { id: CA.azureSubscriptionId }, A.token);
  expect(own.data?.subscription?.customer?.id).toBe(CA.customer.id);
  for (const e of untouched()) before.set(e.key, await snapshot(e));
}, 180_000);

afterAll(async () => {
  await world?.stop();
  await stack?.stop();
});

// ---------------------------------------------------------------- the state of what was attacked

/** Estates only attackers aim at (the owner controls act on CA): they must end as they began. */
const untouched = () => [world.estates.CR2, world.estates.CB];
const before = new Map<string, unknown>();

/** What an estate's owner would notice changed, read as the operator. */
async function snapshot(e: Estate): Promise<unknown> {
  const op = world.operator.token;
  const subs = await Promise.all(
    [e.azureSubscriptionId, e.licenseSubscriptionId].map(async (id) => {
      const r = await stack.gql(
        `query ($id: ID!) { subscription(id: $id) { id status quantity friendlyName roleAssignments { id role scope principal { id } } services { name status } } }`,
        { id },
        op,
      );
      const sub = r.data?.subscription ?? r.errors;
      sub?.roleAssignments?.sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id));
      return sub;
    }),
  );
  const gdap = await Promise.all(
    [e.gdapActiveId, e.gdapPendingId].map(async (id) => (await stack.gql(`query ($id: ID!) { adminRelationship(id: $id) { id status roles } }`, { id }, op)).data?.adminRelationship ?? id),
  );
  const invoices = await Promise.all(
    e.invoices.map(async (i) => {
      // Read as its issuer: each party sees only the invoices it issued or received.
      const issuer = i.kind === 'VENDOR_TO_PARTNER' ? op : i.kind === 'DISTRIBUTOR_TO_RESELLER' ? e.billingPartner.token : e.partner.token;
      const r = await stack.gql(`query ($id: ID!) { invoice(id: $id) { id status total { amount currency } } }`, { id: i.id }, issuer);
      return r.data?.invoice ?? r.errors;
    }),
  );
  return { subs, gdap, invoices };
}

// ---------------------------------------------------------------- assertions

/** Every id-like secret of the caller's target, for swapping with ids that exist nowhere. */
const idLike = (s: string) => /^[a-z]{2,5}_[A-Za-z0-9]+$/.test(s);

/** An id of the same kind that exists nowhere. */
const ghostId = (id: string) => `${id.slice(0, id.indexOf('_'))}_zz0nowhere0zz`;

function ghostOf(vars: Vars, secrets: string[]): Vars {
  let text = JSON.stringify(vars);
  for (const s of secrets.filter(idLike)) text = text.split(s).join(ghostId(s));
  return JSON.parse(text);
}

const codes = (r: GraphQLResponse) => (r.errors ?? []).map((e) => e.extensions?.code ?? `(no code: ${e.message})`);

/** What an answer gave away, or []. */
function problems(r: GraphQLResponse, field: string, target: Target, caller: Caller, vars: Vars, secrets: string[]): string[] {
  const out: string[] = [];
  const value = (r.data as Record<string, unknown> | undefined)?.[field];
  const cs = codes(r);
  const anon = caller.key === 'anonymous';
  if (caller.mayAct?.includes(field)) {
    // Legitimate for this caller: only the leak check below applies.
  } else if (target.expect === 'denied' && !anon) {
    if ((value as { allowed?: boolean } | null)?.allowed !== false) out.push(`${field} allowed: ${JSON.stringify(value)} ${JSON.stringify(r.errors ?? [])}`);
  } else if (target.expect === 'filter' && !anon && !cs.length) {
    const conn = value as { totalCount?: number; edges?: unknown[] } | null;
    if (conn && (conn.totalCount || conn.edges?.length)) out.push(`${field} returned ${conn.totalCount ?? conn.edges?.length} records of the target`);
  } else {
    if (!cs.length) out.push(`no error (data: ${JSON.stringify(r.data)})`);
    const wrong = cs.filter((c) => (anon ? c !== 'UNAUTHENTICATED' : !DENIAL.has(String(c))));
    if (wrong.length) out.push(`codes ${JSON.stringify(cs)} (want ${anon ? 'UNAUTHENTICATED' : 'NOT_FOUND/FORBIDDEN/UNAUTHENTICATED'}): ${r.errors?.map((e) => e.message).join(' | ')}`);
    if (value !== undefined && value !== null) out.push(`data.${field} = ${JSON.stringify(value)}`);
  }
  // Nothing of the target anywhere in the answer, except what the caller itself sent.
  const sent = JSON.stringify(vars);
  const body = JSON.stringify({ data: r.data, errors: r.errors });
  const leaked = secrets.filter((s) => !sent.includes(s) && body.includes(s));
  if (leaked.length) out.push(`the answer names ${JSON.stringify(leaked)}: ${body.slice(0, 600)}`);
  return out;
}

/** Answers to another tenant's id that differ from the answers to an id that exists nowhere. */
const oracles = new Map<string, string[]>();

/** What a denial looks like with the ids the caller sent blanked out (they may be echoed). */
function fingerprint(r: GraphQLResponse, field: string, target: Target, sentIds: string[]): string {
  const v = (r.data as Record<string, { allowed?: boolean; reason?: string } | null> | undefined)?.[field];
  let text = JSON.stringify({
    status: r.status,
    errors: (r.errors ?? []).map((e) => [e.extensions?.code, e.message]),
    ...(target.expect === 'denied' ? { allowed: v?.allowed, reason: v?.reason } : {}),
  });
  for (const id of sentIds) text = text.split(id).join('<id>');
  return text;
}

// ---------------------------------------------------------------- the matrix

const callerKeys: CallerKey[] = ['unrelatedPartner', 'unrelatedCustomer', 'resellerWithoutRelationship', 'distributorOfOtherReseller', 'secondPartnerOfCustomer', 'anonymous'];

describe('the matrix covers every contract operation that takes an id or a scope', () => {
  it('finds such operations in the contract', () => {
    expect(covered.length).toBeGreaterThan(25);
    const skipped = covered.filter((op) => pending.has(op.name)).map((op) => op.name);
    if (skipped.length) console.info(`authz matrix: skipped while still in PENDING_OPERATIONS: ${skipped.join(', ')}`); // eslint-disable-line no-console
  });

  for (const op of covered.filter((o) => !pending.has(o.name))) {
    it(`${op.name} (${op.file}; ${objectVariables(op).join(', ')}) has a target`, () => {
      const missing = rootFields(op).filter((f) => !TARGETS[f]);
      if (missing.length) {
        throw new Error(`contract operation ${op.name} (${op.file}) takes ${objectVariables(op).join(', ')} but TARGETS in authz-matrix.test.ts has no entry for its root field(s) ${missing.join(', ')}: say which world object its id names`);
      }
    });
  }
});

for (const op of runnable) {
  const fields = rootFields(op);
  describe(`${op.name} (${op.file})`, () => {
    for (const key of callerKeys) {
      const exemption = fields.map((f) => TARGETS[f].exempt?.[key]).find(Boolean);
      if (exemption) {
        it.skip(`as ${key}: exempt — ${exemption}`, () => undefined);
        continue;
      }
      it(`as ${key}: denied, nothing of the target in the answer`, async () => {
        const caller = callers.find((c) => c.key === key)!;
        const secrets = world.secretsOf(caller.estate).filter((x) => !caller.knows?.includes(x));
        const found: string[] = [];
        for (const field of fields) {
          const target = TARGETS[field];
          for (const given of target.variants({ w: world, as, t: caller.estate, c: caller, today, unique: `${world.tag}-${++seq}` })) {
            const vars = variablesFor(op, given, now);
            const r = await stack.op(op.name, vars, caller.token);
            for (const p of problems(r, field, target, caller, vars, secrets)) found.push(`${op.name} as ${caller.label} with ${JSON.stringify(vars)}: ${p}`);
            // The same call with ids that exist nowhere must look the same (no existence oracle).
            const ghostVars = ghostOf(vars, secrets);
            if (JSON.stringify(ghostVars) !== JSON.stringify(vars) && key !== 'anonymous' && !caller.mayAct?.includes(field)) {
              const g = await stack.op(op.name, ghostVars, caller.token);
              const sent = secrets.filter((x) => idLike(x) && JSON.stringify(vars).includes(x));
              const [real, ghost] = [fingerprint(r, field, target, sent), fingerprint(g, field, target, sent.map(ghostId))];
              if (real !== ghost) {
                const list = oracles.get(op.name) ?? [];
                list.push(`as ${caller.label}: another tenant's id → ${real}; an unknown id → ${ghost}`);
                oracles.set(op.name, list);
              }
            }
          }
        }
        expect(found).toEqual([]);
      });
    }
    const none = fields.map((f) => TARGETS[f].owner).find((o): o is { none: string } => 'none' in o);
    if (none) {
      it.skip(`control: no owner call — ${none.none}`, () => undefined);
    } else {
      it('control: the owner’s same call succeeds (the matrix aims at real objects)', async () => {
        const { A } = world.partners;
        const CA = world.estates.CA;
        const owner: Caller = { key: 'owner', label: 'owner', estate: CA, principalId: A.groupId, groupId: A.groupId };
        const failed: string[] = [];
        for (const field of fields) {
          const target = TARGETS[field];
          const x: Ctx = { w: world, as, t: CA, c: owner, today, unique: `${world.tag}-${++seq}` };
          await target.beforeControl?.(x);
          const results = [];
          for (const [i, given] of target.variants(x).entries()) {
            const vars = variablesFor(op, given, now);
            const r = await stack.op(op.name, vars, (target.owner as (x: Ctx, i: number) => string)(x, i));
            const value = (r.data as Record<string, unknown> | undefined)?.[field] as { allowed?: boolean; totalCount?: number } | null | undefined;
            results.push({ vars, r, value });
            if (target.expect === 'filter') continue;
            const ok = !r.errors?.length && value != null && (target.expect !== 'denied' || value.allowed === true);
            if (!ok) failed.push(`${op.name} with ${JSON.stringify(vars)}: ${JSON.stringify(r.errors ?? value)}`);
          }
          if (target.expect === 'filter' && !results.some(({ r, value }) => !r.errors?.length && (value?.totalCount ?? 0) > 0)) {
            failed.push(`${op.name}: the owner sees no records for any of ${JSON.stringify(results.map((x) => x.vars))}: ${JSON.stringify(results.map((x) => x.r.errors ?? x.value))}`);
          }
        }
        expect(failed).toEqual([]);
      });
    }
    it('answers another tenant’s id exactly as an id that exists nowhere (no existence oracle)', () => {
      expect(oracles.get(op.name) ?? []).toEqual([]);
    });
  });
}

// ---------------------------------------------------------------- lists: no id, still nothing of others

/** Values for list operations' arguments, aimed at the world (its month, its queue). */
const listVars = (): Vars => ({ first: 100, period: world.period, country: 'DE', market: 'DE', queue: world.job.queue, state: 'COMPLETED' });
// Every query whose ids are all optional (AuditRecords' targetId too): called without them.
const lists = ops.filter(
  (op) => op.kind === 'query' && !pending.has(op.name) && objectVariables(op).every((name) => !op.variables.find((v) => v.name === name)?.required),
);

describe('queries without an id show a caller nothing of others', () => {
  for (const op of lists) {
    it(`${op.name} (${op.file})`, async () => {
      const found: string[] = [];
      // One call per party: what it must not see is everything of every estate it is aimed at.
      for (const token of new Set(callers.map((c) => c.token))) {
        const as = callers.filter((c) => c.token === token);
        const knows = as.flatMap((c) => c.knows ?? []);
        const secrets = [...new Set(as.flatMap((c) => world.secretsOf(c.estate)))].filter((x) => !knows.includes(x));
        const vars = variablesFor(op, listVars(), now);
        const r = await stack.op(op.name, vars, token);
        const body = JSON.stringify({ data: r.data, errors: r.errors });
        const leaked = secrets.filter((x) => body.includes(x));
        if (leaked.length) found.push(`${op.name} as ${as.map((c) => c.label).join(' / ')} with ${JSON.stringify(vars)} names ${JSON.stringify(leaked)}: ${body.slice(0, 600)}`);
      }
      expect(found).toEqual([]);
    });
  }
});

describe('denied calls changed nothing', () => {
  it('the objects of CR2 and CB (aimed at by attackers only) are exactly as before', async () => {
    for (const e of untouched()) {
      const snap = await snapshot(e);
      expect(JSON.stringify(snap)).not.toMatch(/"errors"|"message"/);
      expect({ estate: e.key, ...(snap as object) }).toEqual({ estate: e.key, ...(before.get(e.key) as object) });
    }
  });
});

describe('leaks found by the matrix and its probes, each named', () => {
  it("auditRecords: CB's second partner U sees nothing of what CB's first partner A did on CB (actors, orders, GDAP ids)", async () => {
    const { A, U } = world.partners;
    const CB = world.estates.CB;
    const r = await stack.op('AuditRecords', { first: 100, targetId: CB.customer.id }, U.token);
    const records = (r.data?.auditRecords?.edges ?? []).map((e: { node: { actor: { id: string } | null; action: string; targetId: string } }) => e.node);
    const ofA = records.filter((n: { actor: { id: string } | null; targetId: string }) => n.actor?.id === A.userId || [CB.gdapActiveId, CB.gdapPendingId].includes(n.targetId));
    expect(ofA).toEqual([]);
  });

  it("GDAP: once CB approves U's admin relationship, U still sees no principal of A on what A sold CB (access-control and subscription disagree)", async () => {
    const { A, U } = world.partners;
    const CB = world.estates.CB;
    const req = await stack.op('RequestAdminRelationship', { customerId: CB.customer.id, duration: 'P30D', roles: ['READER'] }, U.token);
    const id = req.data.requestAdminRelationship.relationship.id;
    expect((await stack.op('ApproveAdminRelationship', { id }, CB.customer.token)).errors).toBeUndefined();
    expect((await stack.op('AssignAdminAccess', { relationshipId: id, groupId: U.groupId, roles: ['READER'] }, U.token)).errors).toBeUndefined();
    // The subscription service hides A's subscription from U…
    expect((await stack.op('Subscription', { id: CB.azureSubscriptionId }, U.token)).data?.subscription ?? null).toBeNull();
    // …so access-control must not hand out its role assignments (A's admin agents, A's admin as grantor).
    const r = await stack.op('RoleAssignments', { scope: CB.subscriptionScope }, U.token);
    const body = JSON.stringify(r);
    expect([A.userId, A.id, CB.assignmentId].filter((x) => body.includes(x))).toEqual([]);
    expect((await stack.op('CheckAccess', { scope: CB.subscriptionScope, action: 'subscription/read' }, U.token)).data?.checkAccess?.allowed).toBe(false);
  });
});

// ---------------------------------------------------------------- scope paths

/** Whether an operation takes a scope path (a `scope` variable or an input holding one). */
function takesScope(op: ContractOperation): boolean {
  const holds = (type: GraphQLInputType, seen = new Set<string>()): boolean => {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some((f) => f.name === 'scope' || holds(f.type, seen));
  };
  return (definition(op).variableDefinitions ?? []).some((v) => {
    const type = typeFromAST(schema, v.type as never) as GraphQLInputType | undefined;
    return v.variable.name.value === 'scope' || (type !== undefined && holds(type));
  });
}

describe('scope paths cannot be bent toward another tenant (U holds OWNER on its own subscription for CU)', () => {
  const tricks = (own: Estate, t: Estate): Array<[string, string]> => [
    ['dot-dot out of its own subscription', `${own.subscriptionScope}/../../../${t.customer.id}/subscriptions/${t.azureSubscriptionId}`],
    ['dot-dot out of its own service', `${own.serviceScope}/../../../../../${t.customer.id}/subscriptions/${t.azureSubscriptionId}`],
    ['dot-dot out of its own customer', `/customers/${own.customer.id}/../${t.customer.id}/subscriptions/${t.azureSubscriptionId}`],
    ['its own customer, the other subscription', `/customers/${own.customer.id}/subscriptions/${t.azureSubscriptionId}`],
    ['the other customer, its own subscription', `/customers/${t.customer.id}/subscriptions/${own.azureSubscriptionId}`],
    ['a trailing slash', `${t.subscriptionScope}/`],
    ['a double slash', `/${t.subscriptionScope}`],
    ['upper case', t.subscriptionScope.toUpperCase()],
    ['the customer above the subscription', `/customers/${t.customer.id}`],
    ['the root', '/'],
  ];
  const scoped = runnable.filter(takesScope);

  it('finds the operations that take a scope', () => {
    expect(scoped.map((op) => op.name)).toEqual(expect.arrayContaining(['GrantRole', 'CheckAccess', 'RoleAssignments']));
  });

  it('control: U does hold OWNER on its own subscription', async () => {
    const own = world.estates.CU;
    const r = await stack.op('CheckAccess', { scope: own.subscriptionScope, action: 'roleAssignments/write' }, world.partners.U.token);
    expect(r.data?.checkAccess?.allowed).toBe(true);
  });

  for (const op of scoped) {
    it(`${op.name}: every bent path is refused and shows nothing of CA`, async () => {
      const { U } = world.partners;
      const own = world.estates.CU;
      const CA = world.estates.CA;
      const secrets = world.secretsOf(CA);
      const found: string[] = [];
      for (const [name, scope] of tricks(own, CA)) {
        // The same variables the matrix uses, with the scope bent.
        const bent: Estate = { ...CA, subscriptionScope: scope, serviceScope: scope };
        const caller: Caller = { key: 'unrelatedPartner', label: 'U', token: U.token, estate: bent, principalId: U.groupId, groupId: U.groupId };
        for (const field of rootFields(op)) {
          const target = TARGETS[field];
          for (const given of target.variants({ w: world, as, t: bent, c: caller, today, unique: `${world.tag}-${++seq}` })) {
            const vars = variablesFor(op, given, now);
            const r = await stack.op(op.name, vars, U.token);
            const value = (r.data as Record<string, { allowed?: boolean } | null> | undefined)?.[field];
            const cs = codes(r);
            // A bent path may be refused as malformed (BAD_USER_INPUT); a list may come back empty.
            const errorsOk = cs.length > 0 && cs.every((c) => ['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT'].includes(String(c))) && value == null;
            const refused = errorsOk || (target.expect === 'denied' ? value?.allowed === false : Array.isArray(value) && value.length === 0);
            if (!refused) found.push(`${op.name} (${name}) with ${JSON.stringify(vars)}: ${JSON.stringify({ data: r.data, errors: r.errors })}`);
            const sent = JSON.stringify(vars);
            const body = JSON.stringify({ data: r.data, errors: r.errors });
            const leaked = secrets.filter((x) => !sent.includes(x) && body.includes(x));
            if (leaked.length) found.push(`${op.name} (${name}) names ${JSON.stringify(leaked)}: ${body.slice(0, 600)}`);
          }
        }
      }
      // Whatever was answered, U still has no way into CA's subscription.
      const after = await stack.op('CheckAccess', { scope: CA.subscriptionScope, action: 'subscription/read' }, U.token);
      if (after.data?.checkAccess?.allowed !== false) found.push(`afterwards U may read CA's subscription: ${JSON.stringify(after.data)}`);
      const read = await stack.op('Subscription', { id: CA.azureSubscriptionId }, U.token);
      if (read.data?.subscription) found.push(`afterwards U reads CA's subscription: ${JSON.stringify(read.data)}`);
      expect(found).toEqual([]);
    });
  }
});

// Last: it links D to R2, which would change what the rows above are about.
describe('linking is not a way in', () => {
  it("LinkReseller: distributor D cannot link itself to R2 (linked to D2) without R2's consent and then read R2's customers", async () => {
    const { D, R2 } = world.partners;
    const CR2 = world.estates.CR2;
    // Linking is an invitation: it stays PENDING until R2's admin accepts it.
    const link = await stack.gql('mutation ($id: ID!) { linkReseller(resellerId: $id) { status } }', { id: R2.id }, D.token);
    const found: string[] = [];
    if (link.data?.linkReseller && link.data.linkReseller.status !== 'PENDING') found.push(`LinkReseller(${R2.id}) as D linked without R2's consent`);
    // Whatever the link answered, D sees nothing of R2's customer CR2.
    await new Promise((r) => setTimeout(r, 500)); // read models that follow the link event
    const secrets = world.secretsOf(CR2).filter((x) => x !== R2.id);
    for (const [name, vars] of [
      ['Customers', { first: 100 }],
      ['CustomerOverview', { id: CR2.customer.id }],
      ['Partner', { id: R2.id }],
    ] as Array<[string, Vars]>) {
      const body = JSON.stringify(await stack.op(name, vars, D.token));
      const leaked = secrets.filter((x) => !JSON.stringify(vars).includes(x) && body.includes(x));
      if (leaked.length) found.push(`${name} as D then names ${JSON.stringify(leaked)}: ${body.slice(0, 400)}`);
    }
    expect(found).toEqual([]);
  });
});

// ---------------------------------------------------------------- the staff dimension

/**
 * Every contract operation the staff-role table (PERMISSIONS in @csp/kernel) names × every staff
 * role of A (partner) and CA (customer): on their own tenant it is allowed exactly where the table
 * says (a refusal by the table never shows; the object rules may still refuse), FORBIDDEN by the
 * table elsewhere with nothing changed; on another tenant (CR2 for A's staff, CB for CA's) it is
 * denied for every role. Driven by the table, so the two cannot drift. Last: allowed calls change CA.
 */
const inTable = (f: string): f is Operation => f in PERMISSIONS;
// Operations of contract files whose fields this branch does not serve yet fail validation: not judged here.
const staffOps = ops.filter(
  (op) => !pending.has(op.name) && validate(schema, op.document).length === 0 && rootFields(op).some(inTable) && rootFields(op).every((f) => inTable(f) || f === 'checkAccess'),
);
const isStaffRefusal = (r: GraphQLResponse) => (r.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN' && /^Your staff role/.test(e.message));

/** A value of the right shape for any input type (required fields filled), so the resolver runs. */
function shaped(type: GraphQLInputType, at: string): unknown {
  const t = getNullableType(type) as GraphQLInputType;
  if (isListType(t)) return [];
  const named = getNamedType(t);
  if (isInputObjectType(named)) {
    return Object.fromEntries(
      Object.values(named.getFields())
        .filter((f) => f.type.toString().endsWith('!'))
        .map((f) => [f.name, shaped(f.type, at)]),
    );
  }
  if (isEnumType(named)) return named.getValues()[0].value;
  return ({ Int: 2, Decimal: '1', DateTime: at, Boolean: false } as Record<string, unknown>)[named.name] ?? 'x';
}
const shapedVars = (op: ContractOperation): Vars =>
  Object.fromEntries(
    (definition(op).variableDefinitions ?? [])
      .filter((v) => v.type.kind === Kind.NON_NULL_TYPE)
      .map((v) => [v.variable.name.value, shaped(typeFromAST(schema, v.type as never) as GraphQLInputType, now)]),
  );
describe('staff roles: allowed exactly where the staff-role table says', () => {
  it('covers the mutations and id-taking queries of the contract', () => {
    expect(staffOps.length).toBeGreaterThan(30);
    expect(staffOps.map((o) => o.name)).toEqual(expect.arrayContaining(['CreateStaffUser', 'SetUserRoles', 'PlaceOrder', 'Invoices', 'ApproveAdminRelationship']));
  });

  const roles = [
    ...PARTNER_STAFF_ROLES.map((role) => ({ tenant: 'A' as const, kind: 'PARTNER_USER' as const, role })),
    ...CUSTOMER_STAFF_ROLES.map((role) => ({ tenant: 'CA' as const, kind: 'CUSTOMER_USER' as const, role })),
  ];
  const varsOf = (op: ContractOperation, field: string, x: Ctx): Vars[] => {
    const t = TARGETS[field];
    return t ? t.variants(x).map((v) => variablesFor(op, v, now)) : [{ ...variablesFor(op, listVars(), now), ...Object.fromEntries(Object.entries(shapedVars(op)).filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v))) }];
  };

  for (const op of staffOps) {
    const fields = rootFields(op).filter(inTable);
    it(`${op.name}: own tenant — table refusals are FORBIDDEN and change nothing; allowed roles are never refused by the table`, async () => {
      const found: string[] = [];
      const CA = world.estates.CA;
      const denied = roles.filter((r) => fields.some((f) => !staffAllows({ kind: r.kind, roles: [r.role], scopes: [] }, f)));
      const before = await snapshot(CA);
      for (const r of denied) {
        const user = (world.staff[r.tenant] as Record<string, { userId: string; token: string }>)[r.role];
        const c: Caller = { key: 'owner', label: `${r.tenant} ${r.role}`, token: user.token, estate: CA, principalId: user.userId };
        for (const field of fields) {
          for (const vars of varsOf(op, field, { w: world, as, t: CA, c, today, unique: `${world.tag}-${++seq}` })) {
            const res = await stack.op(op.name, vars, user.token);
            const value = (res.data as Record<string, unknown> | undefined)?.[field];
            if (!isStaffRefusal(res) || (value !== undefined && value !== null)) found.push(`${r.tenant} ${r.role} ${op.name}: want the table's FORBIDDEN, got ${JSON.stringify({ data: res.data, errors: res.errors }).slice(0, 300)}`);
          }
        }
      }
      expect(await snapshot(CA)).toEqual(before);
      const destructive = fields.some((f) => TARGETS[f]?.destructive);
      for (const r of destructive ? [] : roles.filter((x) => !denied.includes(x))) {
        const user = (world.staff[r.tenant] as Record<string, { userId: string; token: string }>)[r.role];
        const c: Caller = { key: 'owner', label: `${r.tenant} ${r.role}`, token: user.token, estate: CA, principalId: user.userId };
        for (const field of fields) {
          for (const vars of varsOf(op, field, { w: world, as, t: CA, c, today, unique: `${world.tag}-${++seq}` })) {
            const res = await stack.op(op.name, vars, user.token);
            if (isStaffRefusal(res)) found.push(`${r.tenant} ${r.role} ${op.name}: the table allows it but it was refused: ${res.errors![0].message}`);
          }
        }
      }
      expect(found).toEqual([]);
    });
  }

  const aimed = staffOps.filter((op) => covered.includes(op) && rootFields(op).every((f) => TARGETS[f] || f === 'checkAccess'));
  for (const op of aimed) {
    it(`${op.name}: another tenant — every staff role is denied, nothing of it in the answer`, async () => {
      const found: string[] = [];
      for (const r of roles) {
        const user = (world.staff[r.tenant] as Record<string, { userId: string; token: string }>)[r.role];
        // Another tenant in every sense: CB would not do for CA's staff, as CB's partner A is CA's too.
        const estate = r.tenant === 'A' ? world.estates.CR2 : world.estates.CU;
        const c: Caller = { key: 'unrelatedPartner', label: `${r.tenant} ${r.role} on ${estate.key}`, token: user.token, estate, principalId: user.userId };
        const secrets = world.secretsOf(estate).filter((x) => !(r.tenant === 'A' && world.secretsOf(world.estates.CA).includes(x)));
        // Operations no tenant can aim at another's (publishing one's own offer) say so in TARGETS.
        for (const field of rootFields(op).filter((f) => TARGETS[f] && !TARGETS[f].exempt?.unrelatedPartner)) {
          const target = TARGETS[field];
          for (const given of target.variants({ w: world, as, t: estate, c, today, unique: `${world.tag}-${++seq}` })) {
            const vars = variablesFor(op, given, now);
            const res = await stack.op(op.name, vars, user.token);
            // A's own invoices upstream, CA's and A's names: what the caller already knows.
            for (const p of problems(res, field, target, c, vars, secrets)) found.push(`${c.label} ${op.name} ${JSON.stringify(vars)}: ${p}`);
          }
        }
      }
      expect(found).toEqual([]);
    });
  }

  it('the objects of CR2 and CB are still exactly as before', async () => {
    for (const e of untouched()) expect({ estate: e.key, ...((await snapshot(e)) as object) }).toEqual({ estate: e.key, ...(before.get(e.key) as object) });
  });
});
// webhooks.graphql: each estate's partner registers an endpoint and sends it a test delivery (ids for TARGETS).
const hooks = new Map<string, { endpointId: string; deliveryId: string }>();
beforeAll(async () => {
  for (const e of Object.values(world.estates)) {
    const c = await stack.op('CreateWebhookEndpoint', { url: 'http://127.0.0.1:9/authz-hook', eventTypes: ['invoice.issued'] }, e.partner.token);
    const endpointId = c.data.createWebhookEndpoint.endpoint.id;
    const t = await stack.op('SendTestWebhook', { endpointId }, e.partner.token);
    hooks.set(e.customer.id, { endpointId, deliveryId: t.data.sendTestWebhook.delivery.id });
  }
}, 60_000);
