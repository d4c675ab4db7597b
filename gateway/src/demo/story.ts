/**
 * The seed's whole story, driven through the public graph as any client would: the end-to-end
 * test runs it against the processes `make up` starts, and `make up` loads it as demo data.
 * Every step names what it does, so a failure says which part of the journey broke.
 */

export interface StoryOptions {
  graphUrl: string;
  operator: { email: string; password: string };
  /** Distinguishes runs that share stores (tests); the demo uses a fixed one. */
  tag: string;
  log?: (line: string) => void;
  /** How long to wait for asynchronous effects (provisioning, events, invoice runs). */
  timeoutMs?: number;
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Party {
  id: string;
  userId: string;
  email: string;
  password: string;
  token: string;
}

export interface StoryResult {
  period: string;
  partners: { direct: Party; distributor: Party; reseller: Party; reseller2: Party };
  customers: { fabrikam: Party; northwind: Party };
  subscriptions: { azureFabrikam: string; licenseFabrikam: string; azureNorthwind: string };
  invoices: Array<{ id: string; number: string; kind: string; billFrom: string; billTo: string; total: string; currency: string }>;
  tier2: { withoutRelationship: string; withRelationship: string };
  /** Northwind's CRITICAL ticket with its reseller, escalated to the distributor, then to the vendor. */
  support: { customerTicket: string; distributorTicket: string; vendorTicket: string; numbers: string[] };
  logins: Array<{ who: string; email: string; password: string }>;
}

export class StoryError extends Error {}

export function storyClient(opts: StoryOptions) {
  const log = opts.log ?? (() => undefined);
  const timeoutMs = opts.timeoutMs ?? 60_000;

  async function gql(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ data?: Json; errors?: Json[] }> {
    const res = await fetch(opts.graphUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Json; errors?: Json[] };
  }

  /** Runs an operation and returns its data, or fails the story with the errors. */
  async function must(step: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Json> {
    const r = await gql(query, variables, token);
    if (r.errors?.length || !r.data) throw new StoryError(`${step}: ${JSON.stringify(r.errors ?? r)}`);
    return r.data;
  }

  async function eventually<T>(step: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    let last = '';
    for (;;) {
      const v = await probe().catch((err) => void (last = String(err?.message ?? err)));
      if (v) return v;
      if (performance.now() > deadline) throw new StoryError(`${step}: timed out after ${timeoutMs} ms${last ? ` (last: ${last.slice(0, 300)})` : ''}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  return { gql, must, eventually, log };
}

const LOGIN = 'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';

export async function runStory(opts: StoryOptions): Promise<StoryResult> {
  const { gql, must, eventually, log } = storyClient(opts);
  const t = opts.tag;
  const login = async (email: string, password: string) => (await must(`sign in ${email}`, LOGIN, { email, password })).login.accessToken as string;
  const op = await login(opts.operator.email, opts.operator.password);
  const now = async () => new Date((await must('read the clock', '{ clock { now } }')).clock.now);
  const advance = async (to: Date) => must(`advance the clock to ${to.toISOString()}`, 'mutation ($to: DateTime!) { advanceClock(to: $to) { now } }', { to: to.toISOString() }, op);

  // Start on the 3rd of a month so that the month closes inside the story.
  const start = await now();
  const day3 = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + (start.getUTCDate() >= 3 ? 1 : 0), 3, 8));
  await advance(day3);
  const period = day3.toISOString().slice(0, 7);
  log(`clock moved to ${day3.toISOString()}; the story bills ${period}`);

  // 1. The operator publishes a market's catalog: a third-party offer, available in DE now.
  const offer = (
    await must(
      'publish an offer',
      `mutation ($input: PublishOfferInput!) { publishOffer(input: $input) { offer { id name } } }`,
      {
        input: {
          name: `Contoso Backup ${t}`,
          family: 'THIRD_PARTY',
          billingType: 'LICENSE',
          minQuantity: 1,
          maxQuantity: 500,
          prices: [{ market: 'DE', unitPrice: '4.20' }],
        },
      },
      op,
    )
  ).publishOffer.offer;
  await must(
    'make the offer available in DE',
    'mutation ($offerId: ID!, $markets: [String!]!) { setOfferAvailability(offerId: $offerId, markets: $markets) { offer { id } } }',
    { offerId: offer.id, markets: ['DE'] },
    op,
  );
  log(`published ${offer.name} (${offer.id}) in DE`);

  // 2. Onboard a direct provider, a distributor and two resellers; the distributor links one.
  const onboard = async (key: string, name: string, tier: string): Promise<Party> => {
    const email = `admin.${key}.${t}@partners.example`;
    const password = `${key}-password-1`;
    const d = await must(
      `onboard ${name}`,
      `mutation ($input: OnboardPartnerInput!) { onboardPartner(input: $input) { partner { id } adminUser { id } } }`,
      { input: { name, tier, country: 'DE', adminEmail: email, adminPassword: password } },
      op,
    );
    return { id: d.onboardPartner.partner.id, userId: d.onboardPartner.adminUser.id, email, password, token: await login(email, password) };
  };
  const direct = await onboard('direct', `Contoso Cloud ${t}`, 'DIRECT_PROVIDER');
  const distributor = await onboard('distributor', `Adatum Distribution ${t}`, 'INDIRECT_PROVIDER');
  const reseller = await onboard('reseller', `Litware Resellers ${t}`, 'INDIRECT_RESELLER');
  const reseller2 = await onboard('reseller2', `Proseware Resellers ${t}`, 'INDIRECT_RESELLER');
  for (const r of [reseller, reseller2]) {
    await must('link a reseller', 'mutation ($id: ID!) { linkReseller(resellerId: $id) { partner { id } } }', { id: r.id }, distributor.token);
    await must('the reseller accepts the link', 'mutation ($id: ID!) { acceptResellerLink(distributorId: $id) { status } }', { id: distributor.id }, r.token);
  }
  log('onboarded a direct provider, a distributor and two linked resellers');

  // 3. Partners create customers; 4. Fabrikam accepts the reseller as a second partner.
  const createCustomer = async (partner: Party, key: string, companyName: string): Promise<Party> => {
    const domain = `${key}-${t}.example`.toLowerCase();
    const email = `admin@${domain}`;
    const password = `${key}-password-1`;
    const d = await must(
      `create customer ${companyName}`,
      `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } adminUser { id } } }`,
      { input: { companyName, domain, country: 'DE', adminEmail: email, adminPassword: password } },
      partner.token,
    );
    return { id: d.createCustomer.customer.id, userId: d.createCustomer.adminUser.id, email, password, token: await login(email, password) };
  };
  const fabrikam = await createCustomer(direct, 'fabrikam', `Fabrikam ${t}`);
  const northwind = await createCustomer(reseller, 'northwind', `Northwind Traders ${t}`);
  const code = (
    await must('request a relationship', 'mutation ($d: String!) { createRelationshipRequest(customerDomain: $d) { code } }', { d: `fabrikam-${t}.example`.toLowerCase() }, reseller.token)
  ).createRelationshipRequest.code;
  await must('accept the relationship', 'mutation ($code: String!) { acceptRelationshipRequest(code: $code) { relationship { status } } }', { code }, fabrikam.token);
  const overview = await must('read Fabrikam', '{ customers(first: 50) { edges { node { id } } } }', {}, reseller.token);
  if (!overview.customers.edges.some((e: Json) => e.node.id === fabrikam.id)) throw new StoryError('the second partner does not see Fabrikam');
  log('Fabrikam works with two partners');

  // 5. Orders, provisioned by the worker.
  const placeOrder = async (partner: Party, customer: Party, key: string, lineItems: Json[]) => {
    const d = await must(
      `place order ${key}`,
      `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id lineItems { subscription { id } } } } }`,
      { input: { customerId: customer.id, idempotencyKey: `${key}-${t}`, lineItems } },
      partner.token,
    );
    return d.placeOrder.order.lineItems.map((l: Json) => l.subscription.id as string);
  };
  const ready = async (partnerToken: string, customerId: string, offerId: string) =>
    eventually(`subscription learns customer ${customerId} and offer ${offerId}`, async () => {
      const r = await gql(
        'query ($country: String!) { offers(country: $country, first: 100) { edges { node { id } } } }',
        { country: 'DE' },
        partnerToken,
      );
      return r.data?.offers.edges.some((e: Json) => e.node.id === offerId);
    });
  await ready(direct.token, fabrikam.id, offer.id);
  const orderUntilAccepted = async (...args: Parameters<typeof placeOrder>) =>
    // Right after onboarding, the subscription service may not have learned the customer yet.
    eventually(`order ${args[2]} accepted`, () => placeOrder(...args));
  const [azureFabrikam, licenseFabrikam] = await orderUntilAccepted(direct, fabrikam, 'fabrikam-1', [
    { offerId: 'off_azure_plan', quantity: 1, friendlyName: 'Fabrikam production' },
    { offerId: 'off_o365_e3', quantity: 10, friendlyName: 'Fabrikam seats' },
  ]);
  const [azureNorthwind] = await orderUntilAccepted(reseller, northwind, 'northwind-1', [{ offerId: 'off_azure_plan', quantity: 1, friendlyName: 'Northwind' }]);
  const active = (id: string, token: string) =>
    eventually(`subscription ${id} ACTIVE with its OWNER grant`, async () => {
      const r = await gql('query ($id: ID!) { subscription(id: $id) { status provisioning { state attempts failedReason } roleAssignments { role } } }', { id }, token);
      const s = r.data?.subscription;
      if (s?.status === 'ACTIVE' && s.roleAssignments.some((a: Json) => a.role === 'OWNER')) return true;
      throw new StoryError(JSON.stringify(r).slice(0, 400)); // shown if it never gets there
    });
  await active(azureFabrikam, direct.token);
  await active(licenseFabrikam, direct.token);
  // Sold through a reseller: the distributor (partner of record) holds OWNER; the reseller gets
  // access only through the tier-2 two-step rule below.
  await active(azureNorthwind, distributor.token);
  log('three subscriptions provisioned');

  // 6. The partner grants the customer CONTRIBUTOR on one service; the customer runs it.
  const svcScope = (
    await must(
      'create a service',
      'mutation ($s: ID!, $n: String!, $m: ID!) { createService(subscriptionId: $s, name: $n, meterId: $m) { service { scope } } }',
      { s: azureFabrikam, n: 'web-vm', m: 'mtr_vm_d2s_v5' },
      direct.token,
    )
  ).createService.service.scope;
  const denied = await gql('mutation ($s: ID!) { startService(subscriptionId: $s, name: "web-vm") { service { status } } }', { s: azureFabrikam }, fabrikam.token);
  if (denied.errors?.[0]?.extensions?.code !== 'FORBIDDEN') throw new StoryError(`a customer without a role started a service: ${JSON.stringify(denied)}`);
  await must(
    'grant the customer CONTRIBUTOR on the service',
    'mutation ($input: GrantRoleInput!) { grantRole(input: $input) { assignment { id } } }',
    { input: { principalId: fabrikam.userId, role: 'CONTRIBUTOR', scope: svcScope } },
    direct.token,
  );
  await eventually('the customer starts its service', async () => {
    const r = await gql('mutation ($s: ID!) { startService(subscriptionId: $s, name: "web-vm") { service { status } } }', { s: azureFabrikam }, fabrikam.token);
    return r.data?.startService.service.status === 'RUNNING';
  });
  log('Fabrikam runs web-vm under its own CONTRIBUTOR grant');

  // 7. Tier-2 two-step rule: the distributor may add a reseller's group to Northwind's
  //    subscription only for the reseller that holds a relationship with Northwind.
  const groupOf = async (p: Party) =>
    (await must('create a reseller group', 'mutation ($n: String!, $m: [ID!]) { createSecurityGroup(name: $n, memberIds: $m) { group { id } } }', { n: `Helpdesk ${t}`, m: [p.userId] }, p.token))
      .createSecurityGroup.group.id as string;
  const subScope = `/customers/${northwind.id}/subscriptions/${azureNorthwind}`;
  const r2Group = await groupOf(reseller2);
  // Access-control learns new groups from identity's events: until then the group is NOT_FOUND.
  const refused = await eventually('the distributor tries the reseller without a relationship', async () => {
    const r = await gql(
      'mutation ($input: GrantRoleInput!) { grantRole(input: $input) { assignment { id } } }',
      { input: { principalId: r2Group, role: 'READER', scope: subScope } },
      distributor.token,
    );
    if (r.errors?.[0]?.extensions?.code === 'NOT_FOUND') throw new StoryError(JSON.stringify(r.errors));
    return r;
  });
  const refusedCode = refused.errors?.[0]?.extensions?.code;
  if (refusedCode !== 'FORBIDDEN') throw new StoryError(`tier-2 step 1 missing was not FORBIDDEN: ${JSON.stringify(refused)}`);
  const rGroup = await groupOf(reseller);
  await eventually('the distributor adds the related reseller group', async () =>
    (await must('grant the reseller group', 'mutation ($input: GrantRoleInput!) { grantRole(input: $input) { assignment { id } } }', { input: { principalId: rGroup, role: 'CONTRIBUTOR', scope: subScope } }, distributor.token))
      .grantRole.assignment.id,
  );
  log('tier-2: refused for the reseller without a relationship, allowed for the one with it');
  // With that grant the reseller manages Northwind's Azure subscription.
  await eventually('the reseller creates a service on Northwind', async () =>
    (await must('a service on Northwind', 'mutation ($s: ID!) { createService(subscriptionId: $s, name: "db", meterId: "mtr_sql_gp_vcore") { service { name } } }', { s: azureNorthwind }, reseller.token)).createService,
  );
  await must('start it', 'mutation ($s: ID!) { startService(subscriptionId: $s, name: "db") { service { status } } }', { s: azureNorthwind }, reseller.token);
  log('the reseller runs db on Northwind');

  // 8. Usage flows from the simulated cloud for a few days; 9. the license is cancelled mid-month.
  await advance(new Date(Date.UTC(day3.getUTCFullYear(), day3.getUTCMonth(), 9, 8)));
  await eventually('unbilled charges from the simulated cloud', async () => {
    const r = await gql('query ($id: ID!) { subscription(id: $id) { unbilledCharges { amount } } }', { id: azureFabrikam }, direct.token);
    return Number(r.data?.subscription?.unbilledCharges?.amount ?? 0) > 0;
  });
  await advance(new Date(Date.UTC(day3.getUTCFullYear(), day3.getUTCMonth(), 16, 8)));
  await must('cancel the license mid-month', 'mutation ($id: ID!) { cancelSubscription(id: $id) { subscription { status } } }', { id: licenseFabrikam }, direct.token);
  log('usage accrued; the license was cancelled on the 16th');

  // 10. The month closes: the clock passes its end and the invoice run makes all three kinds.
  await advance(new Date(Date.UTC(day3.getUTCFullYear(), day3.getUTCMonth() + 1, 2, 8)));
  // The month's run started by itself; starting it again returns that same run to watch.
  const run = await eventually(`the ${period} invoice run`, async () => {
    const started = await must('find the run', 'mutation ($p: String!) { startInvoiceRun(period: $p) { run { id } } }', { p: period }, op);
    const r = await must('watch the run', 'query ($id: ID!) { invoiceRun(id: $id) { status progress invoicesCreated failedReason } }', { id: started.startInvoiceRun.run.id }, op);
    if (r.invoiceRun.status === 'FAILED') throw new StoryError(`the invoice run failed: ${r.invoiceRun.failedReason}`);
    return r.invoiceRun.status === 'COMPLETED' && r.invoiceRun;
  });
  log(`the ${period} invoice run completed with ${run.invoicesCreated} invoices`);
  const invoices = await eventually(`invoices for ${period}`, async () => {
    const r = await gql(
      `query ($period: String) { invoices(first: 100, period: $period) { edges { node { id number kind total { amount currency } billFrom { id } billTo { id } } } } }`,
      { period },
      op,
    );
    const nodes = (r.data?.invoices.edges ?? []).map((e: Json) => e.node);
    const kinds = new Set(nodes.map((n: Json) => n.kind));
    if (['VENDOR_TO_PARTNER', 'DISTRIBUTOR_TO_RESELLER', 'PARTNER_TO_CUSTOMER'].every((k) => kinds.has(k))) return nodes;
    throw new StoryError(`so far ${nodes.length} invoices: ${[...kinds].join(', ') || 'none'} ${r.errors ? JSON.stringify(r.errors) : ''}`);
  });
  log(`the ${period} invoice run issued ${invoices.length} invoices`);

  // 11. Support: Northwind asks its reseller; the reseller answers and escalates to its
  //     distributor, the distributor to the vendor, and the vendor answers. Each sees its own side.
  const TICKET = 'ticket { id number status }';
  const customerTicket = await eventually('Northwind opens a CRITICAL ticket with its reseller', async () => {
    const r = await gql(
      `mutation ($input: OpenTicketInput!) { openTicket(input: $input) { ${TICKET} } }`,
      { input: { severity: 'CRITICAL', topic: 'TECHNICAL', title: 'Database unreachable', description: 'Our db service on the Azure subscription stopped answering at 08:00.', subscriptionId: azureNorthwind } },
      northwind.token,
    );
    if (r.errors?.length) throw new StoryError(JSON.stringify(r.errors));
    return r.data.openTicket.ticket;
  });
  const note = 'mutation ($t: ID!, $b: String!) { addTicketNote(ticketId: $t, body: $b) { ticket { status } } }';
  const escalate = 'mutation ($t: ID!, $d: String!) { escalateTicket(ticketId: $t, description: $d) { escalation { id number status } } }';
  await must('the reseller answers', note, { t: customerTicket.id, b: 'We are looking into it and have asked our distributor.' }, reseller.token);
  const distributorTicket = (await must('the reseller escalates to its distributor', escalate, { t: customerTicket.id, d: 'Northwind: db unreachable since 08:00.' }, reseller.token)).escalateTicket.escalation;
  const vendorTicket = (await must('the distributor escalates to the vendor', escalate, { t: distributorTicket.id, d: 'A reseller customer reports an unreachable database.' }, distributor.token)).escalateTicket.escalation;
  await must('the vendor answers', note, { t: vendorTicket.id, b: 'A storage node failed over; service is being restored.' }, op);
  log(`support: ${customerTicket.number} (Northwind → reseller) escalated as ${distributorTicket.number} (→ distributor) and ${vendorTicket.number} (→ vendor)`);

  return {
    period,
    partners: { direct, distributor, reseller, reseller2 },
    customers: { fabrikam, northwind },
    subscriptions: { azureFabrikam, licenseFabrikam, azureNorthwind },
    invoices: invoices.map((n: Json) => ({
      id: n.id,
      number: n.number,
      kind: n.kind,
      billFrom: n.billFrom.id,
      billTo: n.billTo.id,
      total: n.total.amount,
      currency: n.total.currency,
    })),
    tier2: { withoutRelationship: String(refusedCode), withRelationship: 'allowed' },
    support: {
      customerTicket: customerTicket.id,
      distributorTicket: distributorTicket.id,
      vendorTicket: vendorTicket.id,
      numbers: [customerTicket.number, distributorTicket.number, vendorTicket.number],
    },
    logins: [
      { who: 'direct provider admin', email: direct.email, password: direct.password },
      { who: 'distributor admin', email: distributor.email, password: distributor.password },
      { who: 'reseller admin', email: reseller.email, password: reseller.password },
      { who: 'customer Fabrikam admin', email: fabrikam.email, password: fabrikam.password },
      { who: 'customer Northwind admin', email: northwind.email, password: northwind.password },
    ],
  };
}
