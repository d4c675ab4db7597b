import { randomBytes } from 'node:crypto';
import { startBillingWorker } from '@csp/svc-billing/dist/worker-app';
import { startSubscriptionWorker } from '@csp/svc-subscription/dist/worker-app';
import type { GraphQLResponse } from './client';
import { eventually } from './eventually';
import { CUSTOMER_STAFF_ROLES, PARTNER_STAFF_ROLES, type CustomerStaffRole, type PartnerStaffRole, type StaffRole } from '@csp/kernel';
import { OPERATOR, type Stack } from './stack';

/**
 * A small, realistic partner world built through the gateway with the contract operations, the
 * way a frontend would: real logins, real orders provisioned by the worker, real usage and an
 * invoice run. Security tests aim other parties' tokens at its objects.
 *
 *   A (direct) ── CA, CB      D (distributor) ── R (reseller) ── CR
 *   U (direct) ── CU, CB      D2 (distributor) ── R2 (reseller) ── CR2     (D and R2: not linked)
 *
 * CB works with two partners (A sold it its subscriptions; U is its second partner). CA's, CR2's,
 * CB's and CU's objects are "estates": a customer with Azure and license subscriptions sold by one
 * partner, a service, a role grant, GDAP relationships (active and pending) and invoices.
 */

export interface WorldUser {
  userId: string;
  email: string;
  password: string;
  token: string;
}

export interface WorldPartner extends WorldUser {
  id: string;
  name: string;
  tier: 'DIRECT_PROVIDER' | 'INDIRECT_PROVIDER' | 'INDIRECT_RESELLER';
  /** A security group the partner created (its admin is a member). */
  groupId: string;
  groupName: string;
}

export interface WorldCustomer extends WorldUser {
  id: string;
  companyName: string;
  domain: string;
}

/** One customer's objects, sold by `partner` (billed through `billingPartner` for tier 2). */
export interface Estate {
  key: string;
  partner: WorldPartner;
  billingPartner: WorldPartner;
  customer: WorldCustomer;
  azureSubscriptionId: string;
  licenseSubscriptionId: string;
  friendlyNames: string[];
  /** /customers/{c}/subscriptions/{azure} */
  subscriptionScope: string;
  serviceName: string;
  serviceScope: string;
  /** The partner granted the customer's admin READER on the Azure subscription. */
  assignmentId: string;
  gdapActiveId: string;
  gdapPendingId: string;
  /** Invoices of the closed month that touch this estate: partner → customer first, then upstream. */
  invoices: Array<{ id: string; number: string; kind: string }>;
  /** Support: the customer's ticket with its partner, and that partner's own with the level above (vendor or distributor). */
  ticketId: string;
  upstreamTicketId: string;
}

export interface World {
  tag: string;
  operator: WorldUser;
  partners: { A: WorldPartner; D: WorldPartner; R: WorldPartner; U: WorldPartner; D2: WorldPartner; R2: WorldPartner };
  customers: { CA: WorldCustomer; CR: WorldCustomer; CU: WorldCustomer; CR2: WorldCustomer; CB: WorldCustomer };
  estates: { CA: Estate; CR2: Estate; CB: Estate; CU: Estate };
  offers: { azure: string; license: string };
  meterId: string;
  /** The closed month the invoice run billed, and the run. */
  period: string;
  invoiceRunId: string;
  /** A completed job (provisioning). */
  job: { queue: string; id: string };
  /** Staff users of partner A and customer CA, one per staff role (ADMIN: the tenant's first user). */
  staff: { A: Record<PartnerStaffRole, WorldUser>; CA: Record<CustomerStaffRole, WorldUser> };
  /** Every identifying string of an estate (ids, names, emails, numbers): what must never leak. */
  secretsOf(estate: Estate): string[];
  stop(): Promise<void>;
}

/** Env the stack should start with so the world builds in a few seconds. */
export const WORLD_STACK_ENV: Record<string, string> = { PROVISIONING_BACKOFF_MS: '50', BILLING_RUN_SETTLE_MS: '0' };

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const AZURE = 'off_azure_plan';
const LICENSE = 'off_o365_e3';
const METER = 'mtr_vm_d2s_v5';
const COUNTRY = 'DE';

/** Polls until `probe` answers; failures name the step of the world being waited for. */
const until = <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> =>
  eventually(probe, timeoutMs, `world: ${what}`);

/** Builds the world; `stack` must run every subgraph (start it with WORLD_STACK_ENV). */
export async function buildWorld(stack: Stack): Promise<World> {
  const tag = randomBytes(3).toString('hex');
  const must = async (step: string, name: string, vars: Record<string, unknown>, token?: string): Promise<Json> => {
    const r: GraphQLResponse = await stack.op(name, vars, token);
    if (r.errors?.length || !r.data) throw new Error(`world: ${step} (${name}): ${JSON.stringify(r.errors ?? r.status)}`);
    return r.data;
  };
  const login = async (email: string, password: string) => (await must(`sign in ${email}`, 'Login', { email, password })).login.accessToken as string;

  // Workers: provisioning (subscription) and invoicing (billing), in this process like the subgraphs.
  const base = { ...(stack.env as Record<string, string>), JWKS_URL: `${stack.identity.url}/.well-known/jwks.json` };
  const subWorker = await startSubscriptionWorker(
    { ...base, MONGO_DB: `${stack.env.DB_PREFIX}_subscription`, USAGE_TRIGGER_POLL_MS: '500', WORKER_STALLED_INTERVAL_MS: '5000', WORKER_LOCK_MS: '5000' },
    true,
  );
  const billWorker = await startBillingWorker({ ...base, MONGO_DB: `${stack.env.DB_PREFIX}_billing`, BILLING_RUN_SETTLE_MS: '0' }, true);
  const stopWorkers = async () => {
    await Promise.allSettled([subWorker.stop(), billWorker.stop()]);
  };

  try {
    const op = await login(OPERATOR.email, OPERATOR.password);
    const operator: WorldUser = { userId: '', email: OPERATOR.email, password: OPERATOR.password, token: op };

    const onboard = async (key: string, tier: WorldPartner['tier']): Promise<WorldPartner> => {
      const name = `Authz ${key} ${tag}`;
      const email = `admin.${key.toLowerCase()}.${tag}@authz.example`;
      const password = `${key}-authz-password-1`;
      const d = await must(`onboard ${key}`, 'OnboardPartner', { input: { name, tier, country: COUNTRY, adminEmail: email, adminPassword: password } }, op);
      const token = await login(email, password);
      const groupName = `Authz helpdesk ${key} ${tag}`;
      const userId = d.onboardPartner.adminUser.id as string;
      const g = await must(`${key} creates a group`, 'CreateSecurityGroup', { name: groupName, memberIds: [userId] }, token);
      return { id: d.onboardPartner.partner.id, name, tier, userId, email, password, token, groupId: g.createSecurityGroup.group.id, groupName };
    };
    const [A, D, R, U, D2, R2] = await Promise.all([
      onboard('A', 'DIRECT_PROVIDER'),
      onboard('D', 'INDIRECT_PROVIDER'),
      onboard('R', 'INDIRECT_RESELLER'),
      onboard('U', 'DIRECT_PROVIDER'),
      onboard('D2', 'INDIRECT_PROVIDER'),
      onboard('R2', 'INDIRECT_RESELLER'),
    ]);
    const accept = async (step: string, distributorId: string, token: string) => {
      const r: GraphQLResponse = await stack.gql('mutation ($d: ID!) { acceptResellerLink(distributorId: $d) { status } }', { d: distributorId }, token);
      if (r.errors?.length || !r.data) throw new Error(`world: ${step}: ${JSON.stringify(r.errors ?? r.status)}`);
    };
    await must('D links R', 'LinkReseller', { resellerId: R.id }, D.token);
    await accept('R accepts D', D.id, R.token);
    await must('D2 links R2', 'LinkReseller', { resellerId: R2.id }, D2.token);
    await accept('R2 accepts D2', D2.id, R2.token);

    const createCustomer = async (key: string, partner: WorldPartner): Promise<WorldCustomer> => {
      const companyName = `Authz ${key} Company ${tag}`;
      const domain = `authz-${key.toLowerCase()}-${tag}.example`;
      const email = `admin@${domain}`;
      const password = `${key}-customer-password-1`;
      const d = await must(`${partner.name} creates ${key}`, 'CreateCustomer', { input: { companyName, domain, country: COUNTRY, adminEmail: email, adminPassword: password } }, partner.token);
      return { id: d.createCustomer.customer.id, userId: d.createCustomer.adminUser.id, companyName, domain, email, password, token: await login(email, password) };
    };
    const [CA, CR, CU, CR2, CB] = await Promise.all([
      createCustomer('CA', A),
      createCustomer('CR', R),
      createCustomer('CU', U),
      createCustomer('CR2', R2),
      createCustomer('CB', A),
    ]);
    // Multi-partner: CB, A's customer, also accepts U as a partner.
    const code = (await must('U asks CB for a relationship', 'CreateRelationshipRequest', { customerDomain: CB.domain }, U.token)).createRelationshipRequest.code;
    await must('CB accepts U', 'AcceptRelationshipRequest', { code }, CB.token);

    /** An estate: who orders, who holds OWNER (a reseller's sale is billed to its distributor), who is billed. */
    const specs = [
      { key: 'CA', customer: CA, seller: A, owner: A, billed: A },
      { key: 'CR2', customer: CR2, seller: R2, owner: D2, billed: D2 },
      { key: 'CB', customer: CB, seller: A, owner: A, billed: A },
      // U's own business, so that U holds roles of its own (scope tricks start from there).
      { key: 'CU', customer: CU, seller: U, owner: U, billed: U },
    ] as const;

    // Orders: the subscription service learns customers and offers from events, so an order may
    // be refused (NOT_FOUND / BAD_USER_INPUT) for a moment; the idempotency key makes retries safe.
    const friendly = (k: string): [string, string] => [`Authz ${k} Azure ${tag}`, `Authz ${k} Seats ${tag}`];
    const placeOrder = (partner: WorldPartner, customer: WorldCustomer, key: string) =>
      until(`order ${key}`, async () => {
        const names = friendly(key);
        const r = await stack.op(
          'PlaceOrder',
          {
            input: {
              customerId: customer.id,
              idempotencyKey: `authz-${key}-${tag}`,
              lineItems: [
                { offerId: AZURE, quantity: 1, friendlyName: names[0] },
                { offerId: LICENSE, quantity: 3, friendlyName: names[1] },
              ],
            },
          },
          partner.token,
        );
        const code = r.errors?.[0]?.extensions?.code;
        if (code && code !== 'NOT_FOUND' && code !== 'BAD_USER_INPUT') throw new Error(`world: order ${key}: ${JSON.stringify(r.errors)}`);
        return r.data?.placeOrder?.order.lineItems.map((l: Json) => l.subscription.id as string) as [string, string] | undefined;
      });
    const subs = await Promise.all(specs.map((e) => placeOrder(e.seller, e.customer, e.key)));

    const active = (id: string, token: string) =>
      until(`subscription ${id} ACTIVE with its OWNER grant`, async () => {
        const r = await stack.op('Subscription', { id }, token);
        const s = r.data?.subscription;
        if (s?.status === 'ACTIVE' && s.roleAssignments?.some((a: Json) => a.role === 'OWNER')) return true;
        throw new Error(JSON.stringify(s ?? r.errors)); // the last state, should it time out
      });
    await Promise.all(subs.flat().map((id) => active(id, op)));

    const serviceNames = specs.map((e) => `authz-${e.key.toLowerCase()}-web-${tag}`);
    const serviceScopes = await Promise.all(
      specs.map(
        async (e, i) =>
          (await must(`service ${serviceNames[i]}`, 'CreateService', { subscriptionId: subs[i][0], name: serviceNames[i], meterId: METER }, e.owner.token)).createService.service
            .scope as string,
      ),
    );

    // Usage today, seen as unbilled charges, then the month closes and the worker invoices it.
    const clockNow = new Date((await must('read the clock', 'Clock', {})).clock.now);
    const today = clockNow.toISOString().slice(0, 10);
    const period = today.slice(0, 7);
    const usage = await must(
      'record usage',
      'RecordUsage',
      { records: specs.map((e, i) => ({ recordId: `authz-${e.key}-${tag}`, subscriptionId: subs[i][0], meterId: METER, quantity: String(10 * (i + 1)), usageDate: today })) },
      op,
    );
    if (usage.recordUsage.accepted !== specs.length) throw new Error(`world: usage not accepted: ${JSON.stringify(usage)}`);
    // Billing must know every subscription (license ones too) before the month closes.
    await until('billing to rate the usage and the licenses', async () => {
      const rs = await Promise.all(subs.flat().map((id) => stack.op('Subscription', { id }, op)));
      const amounts = rs.map((r) => r.data?.subscription?.unbilledCharges?.amount as string | undefined);
      return amounts.every((a, i) => (i % 2 === 0 ? Number(a ?? 0) > 0 : a !== undefined));
    });
    const nextMonth = new Date(Date.UTC(clockNow.getUTCFullYear(), clockNow.getUTCMonth() + 1, 1, 0, 0, 5));
    await must('close the month', 'AdvanceClock', { to: nextMonth.toISOString() }, op);
    // Starting the closed month's run returns the worker's run if the month-end trigger was first.
    const run = (await must('start the invoice run', 'StartInvoiceRun', { period }, op)).startInvoiceRun.run;
    await until(`invoice run ${period}`, async () => {
      const r = await stack.op('InvoiceRun', { id: run.id }, op);
      if (r.data?.invoiceRun?.status === 'FAILED') throw new Error(`world: invoice run failed: ${r.data.invoiceRun.failedReason}`);
      return r.data?.invoiceRun?.status === 'COMPLETED';
    });
    // Each party sees only the invoices it issued or received.
    const all = (
      await Promise.all([op, A.token, R2.token, D2.token, U.token].map((token) => must('list invoices', 'Invoices', { first: 100, period }, token)))
    ).flatMap((d) => d.invoices.edges.map((e: Json) => e.node)) as Json[];
    const invoice = (kind: string, from: string, to: string) => {
      const i = all.find((n) => n.kind === kind && (n.billFrom?.id ?? 'vendor') === from && n.billTo.id === to) ?? all.find((n) => n.kind === kind && n.billTo.id === to);
      if (!i) throw new Error(`world: no ${kind} invoice ${from}→${to} among ${JSON.stringify(all.map((n) => [n.kind, n.billFrom?.id, n.billTo.id]))}`);
      return { id: i.id as string, number: i.number as string, kind };
    };
    const invoicesOf: Record<string, () => Estate['invoices']> = {
      CA: () => [invoice('PARTNER_TO_CUSTOMER', A.id, CA.id), invoice('VENDOR_TO_PARTNER', 'vendor', A.id)],
      CR2: () => [invoice('PARTNER_TO_CUSTOMER', R2.id, CR2.id), invoice('DISTRIBUTOR_TO_RESELLER', D2.id, R2.id), invoice('VENDOR_TO_PARTNER', 'vendor', D2.id)],
      CB: () => [invoice('PARTNER_TO_CUSTOMER', A.id, CB.id)],
      CU: () => [invoice('PARTNER_TO_CUSTOMER', U.id, CU.id), invoice('VENDOR_TO_PARTNER', 'vendor', U.id)],
    };

    // Access: a READER grant for the customer's admin, and GDAP (one active, one pending) from
    // the partner of record.
    const scopeOf = (c: WorldCustomer, s: string) => `/customers/${c.id}/subscriptions/${s}`;
    const grant = async (partner: WorldPartner, customer: WorldCustomer, scope: string) =>
      (await must('grant READER', 'GrantRole', { input: { principalId: customer.userId, role: 'READER', scope } }, partner.token)).grantRole.assignment.id as string;
    const gdap = async (partner: WorldPartner, customer: WorldCustomer) => {
      const ask = async () =>
        (await must('request GDAP', 'RequestAdminRelationship', { customerId: customer.id, duration: 'P30D', roles: ['READER'] }, partner.token)).requestAdminRelationship.relationship
          .id as string;
      const activeId = await ask();
      await must('approve GDAP', 'ApproveAdminRelationship', { id: activeId }, customer.token);
      await must('assign GDAP access', 'AssignAdminAccess', { relationshipId: activeId, groupId: partner.groupId, roles: ['READER'] }, partner.token);
      return { activeId, pendingId: await ask() };
    };
    const access = await Promise.all(
      specs.map(async (e, i) => ({ assignmentId: await grant(e.owner, e.customer, scopeOf(e.customer, subs[i][0])), gdap: await gdap(e.seller, e.customer) })),
    );

    // Support: each customer asks its partner about its Azure subscription; the partner asks the
    // level above (the vendor; a reseller its distributor). Support learns the parties from events.
    const openTicket = (step: string, input: Json, token: string) =>
      until(step, async () => {
        const r = await stack.op('OpenTicket', { input }, token);
        if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
        return r.data?.openTicket.ticket.id as string;
      });
    const tickets = await Promise.all(
      specs.map(async (e, i) => {
        const ask = { severity: 'MODERATE', topic: 'TECHNICAL', title: `Authz ${e.key} VM down ${tag}`, description: 'The VM does not start.', subscriptionId: subs[i][0] };
        const upward = e.seller.tier === 'INDIRECT_RESELLER' ? { partnerId: e.owner.id } : { toVendor: true };
        return {
          ticketId: await openTicket(`${e.key} opens a ticket`, { ...ask, partnerId: e.seller.id }, e.customer.token),
          upstreamTicketId: await openTicket(`${e.seller.name} asks the level above`, { ...ask, ...upward }, e.seller.token),
        };
      }),
    );

    // A completed job, for the job operations.
    const queues = (await must('list queues', 'Queues', {}, op)).queues as Array<{ name: string; counts: { completed: number } }>;
    const q = queues.find((x) => /provision/i.test(x.name) && x.counts.completed > 0) ?? queues.find((x) => x.counts.completed > 0);
    if (!q) throw new Error(`world: no queue with a completed job: ${JSON.stringify(queues)}`);
    const jobs = (await must('list jobs', 'Jobs', { queue: q.name, state: 'COMPLETED', first: 1 }, op)).jobs as Array<{ id: string }>;

    const estates = Object.fromEntries(
      specs.map((e, i): [string, Estate] => [
        e.key,
        {
          key: e.key,
          partner: e.seller,
          billingPartner: e.billed,
          customer: e.customer,
          azureSubscriptionId: subs[i][0],
          licenseSubscriptionId: subs[i][1],
          friendlyNames: friendly(e.key),
          subscriptionScope: scopeOf(e.customer, subs[i][0]),
          serviceName: serviceNames[i],
          serviceScope: serviceScopes[i],
          assignmentId: access[i].assignmentId,
          gdapActiveId: access[i].gdap.activeId,
          gdapPendingId: access[i].gdap.pendingId,
          invoices: invoicesOf[e.key](),
          ...tickets[i],
        },
      ]),
    ) as World['estates'];

    // Staff: one user per staff role in A and in CA, created by their ADMIN (staff.graphql).
    const staffOf = async <R extends StaffRole>(key: string, admin: WorldUser, roles: readonly R[]): Promise<Record<R, WorldUser>> => {
      const out = {} as Record<R, WorldUser>;
      await Promise.all(
        roles.map(async (role) => {
          if (role === 'ADMIN') return void (out[role] = admin);
          const email = `${role.toLowerCase().replace(/_/g, '-')}.${key.toLowerCase()}.${tag}@staff.authz.example`;
          const password = `${key}-${role}-password-1`;
          const d = await must(`${key} adds ${role}`, 'CreateStaffUser', { input: { email, password, roles: [role] } }, admin.token);
          out[role] = { userId: d.createUser.user.id, email, password, token: await login(email, password) };
        }),
      );
      return out;
    };
    const [staffA, staffCA] = await Promise.all([staffOf('A', A, PARTNER_STAFF_ROLES), staffOf('CA', CA, CUSTOMER_STAFF_ROLES)]);

    const partnerSecrets = (p: WorldPartner) => [p.id, p.name, p.email, p.userId, p.groupId, p.groupName];
    return {
      tag,
      operator,
      partners: { A, D, R, U, D2, R2 },
      customers: { CA, CR, CU, CR2, CB },
      estates,
      offers: { azure: AZURE, license: LICENSE },
      meterId: METER,
      period,
      invoiceRunId: run.id,
      job: { queue: q.name, id: jobs[0].id },
      staff: { A: staffA, CA: staffCA },
      secretsOf: (e) => [
        ...new Set([
          ...partnerSecrets(e.partner),
          ...partnerSecrets(e.billingPartner),
          e.customer.id,
          e.customer.companyName,
          e.customer.domain,
          e.customer.email,
          e.customer.userId,
          e.azureSubscriptionId,
          e.licenseSubscriptionId,
          ...e.friendlyNames,
          e.serviceName,
          e.assignmentId,
          e.gdapActiveId,
          e.gdapPendingId,
          ...e.invoices.flatMap((i) => [i.id, i.number]),
          e.ticketId,
          e.upstreamTicketId,
        ]),
      ],
      stop: stopWorkers,
    };
  } catch (err) {
    await stopWorkers();
    throw err;
  }
}
