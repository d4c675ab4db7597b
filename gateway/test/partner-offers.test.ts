import Decimal from 'decimal.js';
import { startBillingWorker, type RunningBillingWorker } from '@csp/svc-billing/worker-app';
import { startSubscriptionWorker } from '@csp/svc-subscription/worker-app';
import { eventually, OPERATOR, startStack, WORLD_STACK_ENV, type GraphQLResponse, type Stack } from '@csp/testkit';

/**
 * Value-added services through the gateway, on the test clock (pinned to the 10th of November):
 * partners publish their own offers, order them with the vendor's, fulfil them, add one-off
 * charges, and the month's invoices carry them only where they belong.
 */
const START = '2026-11-10T09:00:00.000Z';
const AZURE = 'off_azure_plan';
const METER = 'mtr_vm_d2s_v5';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let stack: Stack;
let stopWorkers: () => Promise<unknown>;
let op: string;
const P: Record<'A' | 'U' | 'D' | 'R', { id: string; name: string; token: string; userId: string }> = {} as never;
const C: Record<'CA' | 'CR' | 'CU' | 'CX', string> = {} as never;
const ids: Record<string, string> = {};

async function must(name: string, vars: Record<string, unknown>, token?: string): Promise<Json> {
  const r = await stack.op(name, vars, token);
  if (r.errors?.length || !r.data) throw new Error(`${name}: ${JSON.stringify(r.errors ?? r.status)}`);
  return r.data;
}
const code = (r: GraphQLResponse) => r.errors?.[0]?.extensions?.code;
const login = async (email: string, password: string) => (await must('Login', { email, password })).login.accessToken as string;

beforeAll(async () => {
  stack = await startStack('partneroffers', { env: { ...WORLD_STACK_ENV, TEST_CLOCK_START: START } });
  const base = { ...(stack.env as Record<string, string>), JWKS_URL: `${stack.identity.url}/.well-known/jwks.json` };
  const sub = await startSubscriptionWorker({ ...base, MONGO_DB: `${stack.env.DB_PREFIX}_subscription`, USAGE_TRIGGER_POLL_MS: '3600000' }, true);
  const bill: RunningBillingWorker = await startBillingWorker({ ...base, MONGO_DB: `${stack.env.DB_PREFIX}_billing`, BILLING_RUN_SETTLE_MS: '0' }, true);
  stopWorkers = () => Promise.allSettled([sub.stop(), bill.stop()]);
  op = await login(OPERATOR.email, OPERATOR.password);
  const onboard = async (key: 'A' | 'U' | 'D' | 'R', tier: string) => {
    const email = `admin.${key.toLowerCase()}@vas.example`;
    const d = await must('OnboardPartner', { input: { name: `VAS ${key}`, tier, country: 'DE', adminEmail: email, adminPassword: `${key}-vas-password-1` } }, op);
    P[key] = { id: d.onboardPartner.partner.id, name: `VAS ${key}`, userId: d.onboardPartner.adminUser.id, token: await login(email, `${key}-vas-password-1`) };
  };
  await Promise.all([onboard('A', 'DIRECT_PROVIDER'), onboard('U', 'DIRECT_PROVIDER'), onboard('D', 'INDIRECT_PROVIDER'), onboard('R', 'INDIRECT_RESELLER')]);
  await must('LinkReseller', { resellerId: P.R.id }, P.D.token);
  const accepted = await stack.gql('mutation ($d: ID!) { acceptResellerLink(distributorId: $d) { status } }', { d: P.D.id }, P.R.token);
  expect(accepted.errors).toBeUndefined();
  const customer = async (key: 'CA' | 'CR' | 'CU' | 'CX', partner: 'A' | 'R' | 'U') => {
    const domain = `vas-${key.toLowerCase()}.example`;
    const d = await must('CreateCustomer', { input: { companyName: `VAS ${key}`, domain, country: 'DE', adminEmail: `admin@${domain}`, adminPassword: `${key}-customer-pw-1` } }, P[partner].token);
    C[key] = d.createCustomer.customer.id;
  };
  await Promise.all([customer('CA', 'A'), customer('CR', 'R'), customer('CU', 'U'), customer('CX', 'A')]);
  // Billing learns of the customer from identity's event.
  await eventually(() => must('SetCustomerPricing', { customerId: C.CA, markupPercent: '10' }, P.A.token), 20_000, 'the markup');
}, 120_000);

afterAll(async () => {
  await stopWorkers?.();
  await stack?.stop();
});

/** The catalog learns of a new partner from identity's event: a refused publish stored nothing, so retry. */
const publish = (token: string, input: Record<string, unknown>) =>
  eventually(() => must('PublishPartnerOffer', { input }, token).then((d) => d.publishPartnerOffer.offer), 20_000, 'the publish');
const orderable = async (customerId: string, token: string) => (await must('OrderableOffers', { customerId, first: 100 }, token)).orderableOffers;
/** Ordering reads its own copy of the catalog: retry while the new offer has not reached it. */
const placeOrder = (token: string, input: Record<string, unknown>) =>
  eventually(async () => {
    const r = await stack.op('PlaceOrder', { input }, token);
    if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
    return r.data.placeOrder.order;
  }, 20_000, 'the order');
/** ACTIVE as the worker makes it: a vendor offer once provisioned, an AUTOMATIC partner offer once its OWNER grant is in force. */
const active = (id: string, what: string) =>
  eventually(async () => (await must('Subscription', { id }, op)).subscription.status === 'ACTIVE', 30_000, what);

describe('a partner sells its own offers next to the vendor’s', () => {
  it('publishes a managed service and a setup fee, priced in its own currency', async () => {
    const managed = await publish(P.A.token, { name: 'Managed Azure Operations', description: '24/7 operations', chargeType: 'MONTHLY', unitPrice: { amount: '50.00', currency: 'EUR' }, fulfilment: 'MANUAL' });
    expect(managed).toEqual({
      id: expect.stringMatching(/^pof_/),
      name: 'Managed Azure Operations',
      chargeType: 'MONTHLY',
      fulfilment: 'MANUAL',
      unitPrice: { amount: '50.00', currency: 'EUR' },
      publisher: { id: P.A.id, name: P.A.name },
    });
    const setup = await publish(P.A.token, { name: 'Onboarding setup fee', chargeType: 'ONE_TIME', unitPrice: { amount: '200.00', currency: 'EUR' }, fulfilment: 'AUTOMATIC' });
    ids.managed = managed.id;
    ids.setup = setup.id;
    const wrongCurrency = await stack.op('PublishPartnerOffer', { input: { name: 'x', chargeType: 'ONE_TIME', unitPrice: { amount: '1.00', currency: 'USD' }, fulfilment: 'AUTOMATIC' } }, P.A.token);
    expect(code(wrongCurrency)).toBe('BAD_USER_INPUT');
    expect(code(await stack.op('PublishPartnerOffer', { input: { name: 'x', chargeType: 'ONE_TIME', unitPrice: { amount: '1.00', currency: 'EUR' }, fulfilment: 'AUTOMATIC' } }, op))).toBe('FORBIDDEN');
  });

  it("lists the vendor's offers of the customer's country and the caller's own offers", async () => {
    const list = await eventually(async () => {
      const l = await orderable(C.CA, P.A.token);
      return l.edges.some((e: Json) => e.node.id === ids.setup) && l;
    }, 20_000, 'partner offers in ordering');
    const nodes = list.edges.map((e: Json) => e.node);
    expect(nodes).toEqual(
      expect.arrayContaining([
        { __typename: 'Offer', id: AZURE, name: 'Azure plan' },
        { __typename: 'PartnerOffer', id: ids.managed, name: 'Managed Azure Operations', chargeType: 'MONTHLY', unitPrice: { amount: '50.00', currency: 'EUR' } },
        { __typename: 'PartnerOffer', id: ids.setup, name: 'Onboarding setup fee', chargeType: 'ONE_TIME', unitPrice: { amount: '200.00', currency: 'EUR' } },
      ]),
    );
    expect(list.totalCount).toBe(nodes.length);
    // Paging walks the same list.
    const first = (await must('OrderableOffers', { customerId: C.CA, first: 2 }, P.A.token)).orderableOffers;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = (await must('OrderableOffers', { customerId: C.CA, first: 100, after: first.pageInfo.endCursor }, P.A.token)).orderableOffers;
    expect([...first.edges, ...next.edges].map((e: Json) => e.node.id)).toEqual(nodes.map((n: Json) => n.id));
  });

  it('orders both with an Azure plan on the 10th: the managed service waits for fulfilment, the fee turns active by itself', async () => {
    const input = {
      customerId: C.CA,
      idempotencyKey: 'vas-order-1',
      lineItems: [
        { offerId: AZURE, quantity: 1 },
        { offerId: ids.managed, quantity: 2, friendlyName: 'Ops for two landing zones' },
        { offerId: ids.setup, quantity: 1 },
      ],
    };
    const order = await placeOrder(P.A.token, input);
    const [azure, managed, setup] = order.lineItems.map((l: Json) => l.subscription);
    Object.assign(ids, { azureSub: azure.id, managedSub: managed.id, setupSub: setup.id });
    expect(managed.status).toBe('PENDING_FULFILMENT');
    // ACTIVE means usable: the fee waits (moments) for the partner's OWNER grant, like any subscription.
    await active(ids.setupSub, 'the setup fee fulfilled automatically');
    expect(order.lineItems.map((l: Json) => l.offer.id)).toEqual([AZURE, ids.managed, ids.setup]);
    // Same idempotency rules as vendor offers.
    expect((await placeOrder(P.A.token, input)).id).toBe(order.id);
    expect(code(await stack.op('PlaceOrder', { input: { ...input, lineItems: input.lineItems.slice(1) } }, P.A.token))).toBe('CONFLICT');
    await active(ids.azureSub, 'the Azure plan provisioned');
    const s = (await must('Subscription', { id: ids.managedSub }, P.A.token)).subscription;
    expect(s).toMatchObject({ status: 'PENDING_FULFILMENT', quantity: 2, offer: { id: ids.managed, name: 'Managed Azure Operations', billingType: 'PARTNER' }, partner: { id: P.A.id } });
    // A partner offer never goes through vendor provisioning.
    expect(s.provisioning).toEqual({ state: 'COMPLETED', attempts: 0, failedReason: null });
  });

  it('fulfils the managed service on the 12th; adds a one-off charge (idempotent per key)', async () => {
    await must('AdvanceClock', { to: '2026-11-12T10:00:00.000Z' }, op);
    const f = await must('FulfilSubscription', { id: ids.managedSub, note: 'runbooks handed over' }, P.A.token);
    expect(f.fulfilSubscription.subscription).toEqual({ id: ids.managedSub, status: 'ACTIVE' });
    expect(code(await stack.op('FulfilSubscription', { id: ids.managedSub }, P.A.token))).toBe('BAD_USER_INPUT');
    expect(code(await stack.op('FulfilSubscription', { id: ids.azureSub }, P.A.token))).toBe('BAD_USER_INPUT');
    const history = (await must('Subscription', { id: ids.managedSub }, P.A.token)).subscription.history;
    expect(history.map((h: Json) => h.status)).toEqual(['PENDING_FULFILMENT', 'ACTIVE']);
    expect(history[1]).toEqual({ at: expect.stringMatching(/^2026-11-12T10:0/), status: 'ACTIVE', actor: P.A.userId });

    const input = { customerId: C.CA, description: 'Consulting, 4 hours', amount: { amount: '120.00', currency: 'EUR' }, idempotencyKey: 'vas-charge-1' };
    const charge = (await eventually(() => must('AddCustomerCharge', { input }, P.A.token), 20_000, 'the charge')).addCustomerCharge.charge;
    expect(charge).toEqual({ id: expect.stringMatching(/^chg_/), description: 'Consulting, 4 hours', amount: { amount: '120.00', currency: 'EUR' }, billedOn: null });
    ids.charge = charge.id;
    expect((await must('AddCustomerCharge', { input }, P.A.token)).addCustomerCharge.charge.id).toBe(charge.id);
    expect(code(await stack.op('AddCustomerCharge', { input: { ...input, description: 'other' } }, P.A.token))).toBe('CONFLICT');
    expect(code(await stack.op('AddCustomerCharge', { input: { ...input, idempotencyKey: 'vas-charge-x', amount: { amount: '-5.00', currency: 'EUR' } } }, P.A.token))).toBe('BAD_USER_INPUT');
    expect(code(await stack.op('AddCustomerCharge', { input: { ...input, idempotencyKey: 'vas-charge-y', amount: { amount: '5.00', currency: 'USD' } } }, P.A.token))).toBe('BAD_USER_INPUT');

    // The Azure plan's usage, so that both invoices have a vendor line.
    const usage = await must('RecordUsage', { records: [{ recordId: 'vas-usage-1', subscriptionId: ids.azureSub, meterId: METER, quantity: '10', usageDate: '2026-11-12' }] }, op);
    expect(usage.recordUsage.accepted).toBe(1);
  });

  it('unbilled charges include the partner offers at the partner’s price (no markup)', async () => {
    // The 12th so far: 2 units × 50.00 × 1/30 = 3.33; the fee 200.00 in full.
    await eventually(async () => (await must('Subscription', { id: ids.managedSub }, P.A.token)).subscription.unbilledCharges?.amount === '3.33', 20_000, 'unbilled managed');
    for (const token of [P.A.token, op]) {
      expect((await must('Subscription', { id: ids.setupSub }, token)).subscription.unbilledCharges).toEqual({ amount: '200.00', currency: 'EUR' });
    }
    // The customer's total adds them and the unbilled one-off charge to the vendor's services.
    const azure = await eventually(async () => (await must('Subscription', { id: ids.azureSub }, P.A.token)).subscription.unbilledCharges, 20_000, 'azure usage rated');
    const total = await stack.gql('query ($id: ID!) { customer(id: $id) { unbilledCharges { amount currency } } }', { id: C.CA }, P.A.token);
    expect(total.data.customer.unbilledCharges).toEqual([{ amount: new Decimal(azure.amount).plus('3.33').plus('200.00').plus('120.00').toFixed(2), currency: 'EUR' }]);
  });

  it('a price change applies from its date on, never backwards', async () => {
    const r = await stack.gql(
      'mutation ($o: ID!, $p: MoneyInput!, $f: DateTime) { changePartnerOfferPrice(offerId: $o, unitPrice: $p, effectiveFrom: $f) { offer { unitPrice { amount } prices { unitPrice { amount } effectiveFrom } } } }',
      { o: ids.managed, p: { amount: '55.00', currency: 'EUR' }, f: '2026-11-01T00:00:00.000Z' },
      P.A.token,
    );
    expect(code(r)).toBe('BAD_USER_INPUT');
    const ok = await stack.gql(
      'mutation ($o: ID!, $p: MoneyInput!, $f: DateTime) { changePartnerOfferPrice(offerId: $o, unitPrice: $p, effectiveFrom: $f) { offer { unitPrice { amount } prices { unitPrice { amount } effectiveFrom } } } }',
      { o: ids.managed, p: { amount: '55.00', currency: 'EUR' }, f: '2026-12-01T00:00:00.000Z' },
      P.A.token,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data.changePartnerOfferPrice.offer).toEqual({
      unitPrice: { amount: '50.00' },
      prices: [
        { unitPrice: { amount: '50.00' }, effectiveFrom: expect.stringMatching(/^2026-11-10T09:/) },
        { unitPrice: { amount: '55.00' }, effectiveFrom: '2026-12-01T00:00:00.000Z' },
      ],
    });
  });

  it('a rival partner cannot see, order or price the offer', async () => {
    const rival = P.U.token;
    const mine = await orderable(C.CU, rival);
    expect(mine.edges.map((e: Json) => e.node.id)).not.toEqual(expect.arrayContaining([ids.managed]));
    expect(mine.edges.every((e: Json) => e.node.__typename === 'Offer')).toBe(true);
    expect(code(await stack.op('OrderableOffers', { customerId: C.CA }, rival))).toBe('NOT_FOUND');
    const order = await stack.op('PlaceOrder', { input: { customerId: C.CU, idempotencyKey: 'rival-1', lineItems: [{ offerId: ids.managed, quantity: 1 }] } }, rival);
    const ghost = await stack.op('PlaceOrder', { input: { customerId: C.CU, idempotencyKey: 'rival-2', lineItems: [{ offerId: 'pof_zz0nowhere0zz', quantity: 1 }] } }, rival);
    expect([code(order), code(ghost)]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(order.errors![0].message).toBe(ghost.errors![0].message.replace('pof_zz0nowhere0zz', ids.managed));
    const price = await stack.gql('mutation ($o: ID!) { changePartnerOfferPrice(offerId: $o, unitPrice: { amount: "1.00", currency: "EUR" }) { offer { id } } }', { o: ids.managed }, rival);
    const retire = await stack.gql('mutation ($o: ID!) { retirePartnerOffer(offerId: $o) { offer { id } } }', { o: ids.managed }, rival);
    const read = await stack.gql('query ($o: ID!) { partnerOffer(id: $o) { id name } }', { o: ids.managed }, rival);
    expect([code(price), code(retire), code(read)]).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    expect(JSON.stringify((await stack.gql('{ partnerOffers(first: 100) { edges { node { id } } } }', {}, rival)).data)).not.toContain(ids.managed);
    expect(code(await stack.op('FulfilSubscription', { id: ids.managedSub }, rival))).toBe('NOT_FOUND');
    expect(code(await stack.op('AddCustomerCharge', { input: { customerId: C.CA, description: 'x', amount: { amount: '1.00', currency: 'EUR' }, idempotencyKey: 'rival' } }, rival))).toBe('NOT_FOUND');
    expect(code(await stack.op('Subscription', { id: ids.managedSub }, rival))).toBe('NOT_FOUND');
  });

  it("a reseller's own offers: its distributor sees neither them nor their subscriptions", async () => {
    const helpdesk = await publish(P.R.token, { name: 'Reseller helpdesk', chargeType: 'MONTHLY', unitPrice: { amount: '10.00', currency: 'EUR' }, fulfilment: 'AUTOMATIC' });
    ids.helpdesk = helpdesk.id;
    const order = await placeOrder(P.R.token, { customerId: C.CR, idempotencyKey: 'vas-r-1', lineItems: [{ offerId: AZURE, quantity: 1 }, { offerId: helpdesk.id, quantity: 1 }] });
    ids.rAzureSub = order.lineItems[0].subscription.id;
    ids.helpdeskSub = order.lineItems[1].subscription.id;
    await active(ids.helpdeskSub, "the reseller's helpdesk fulfilled automatically");
    // The distributor orders for its reseller's customer, but only the vendor's offers.
    const d = await orderable(C.CR, P.D.token);
    expect(d.edges.length).toBeGreaterThan(0);
    expect(d.edges.every((e: Json) => e.node.__typename === 'Offer')).toBe(true);
    const dOrder = await stack.op('PlaceOrder', { input: { customerId: C.CR, idempotencyKey: 'vas-d-1', lineItems: [{ offerId: helpdesk.id, quantity: 1 }] } }, P.D.token);
    expect(code(dOrder)).toBe('NOT_FOUND');
    expect(code(await stack.op('Subscription', { id: ids.helpdeskSub }, P.D.token))).toBe('NOT_FOUND');
    const listed = await stack.gql('query ($id: ID!) { partner(id: $id) { subscriptions(first: 100) { edges { node { id } } } } }', { id: P.D.id }, P.D.token);
    expect(JSON.stringify(listed)).not.toContain(ids.helpdeskSub);
    await active(ids.rAzureSub, "the reseller's Azure plan");
    await must('RecordUsage', { records: [{ recordId: 'vas-usage-r', subscriptionId: ids.rAzureSub, meterId: METER, quantity: '5', usageDate: '2026-11-12' }] }, op);
  });

  it('at month end the vendor→partner invoice holds only the Azure plan; the partner→customer invoice every line exact', async () => {
    // Billing must know every subscription before the month closes.
    await eventually(async () => (await must('Subscription', { id: ids.helpdeskSub }, op)).subscription.unbilledCharges != null, 20_000, 'billing knows the helpdesk');
    await eventually(async () => Number((await must('Subscription', { id: ids.rAzureSub }, op)).subscription.unbilledCharges?.amount ?? 0) > 0, 20_000, 'usage rated');
    await must('AdvanceClock', { to: '2026-12-01T00:00:05.000Z' }, op);
    const run = (await must('StartInvoiceRun', { period: '2026-11' }, op)).startInvoiceRun.run;
    await eventually(async () => {
      const r = await must('InvoiceRun', { id: run.id }, op);
      if (r.invoiceRun.status === 'FAILED') throw new Error(r.invoiceRun.failedReason);
      return r.invoiceRun.status === 'COMPLETED';
    }, 30_000, 'the November run');

    const invoices = (await must('Invoices', { period: '2026-11', first: 100 }, op)).invoices.edges.map((e: Json) => e.node);
    const find = (kind: string, to: string) => invoices.find((i: Json) => i.kind === kind && i.billTo.id === to);
    const lines = async (id: string, token = op) => (await must('InvoiceReconciliation', { id, first: 100 }, token)).invoice;

    const vendorA = await lines(find('VENDOR_TO_PARTNER', P.A.id).id);
    const vLines = vendorA.lineItems.edges.map((e: Json) => e.node);
    expect(vLines.map((l: Json) => [l.chargeType, l.subscription?.id])).toEqual([['USAGE', ids.azureSub]]);

    const toCA = find('PARTNER_TO_CUSTOMER', C.CA);
    expect(toCA.billFrom.id).toBe(P.A.id);
    const inv = await lines(toCA.id, P.A.token);
    const l = inv.lineItems.edges.map((e: Json) => e.node);
    const azureUnit = new Decimal(vLines[0].unitPrice).times('1.1');
    expect(l).toEqual([
      expect.objectContaining({ chargeType: 'USAGE', subscription: { id: ids.azureSub }, quantity: '10', unitPrice: azureUnit.toFixed(), amount: azureUnit.times(10).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2) }),
      expect.objectContaining({
        chargeType: 'PARTNER_MONTHLY',
        subscription: { id: ids.managedSub },
        quantity: '2',
        unitPrice: '50',
        amount: '63.33', // 2 × 50.00 × 19/30 (12th to 30th)
        usageFrom: '2026-11-12',
        usageTo: '2026-11-30',
      }),
      expect.objectContaining({ chargeType: 'PARTNER_ONE_TIME', subscription: { id: ids.setupSub }, quantity: '1', unitPrice: '200', amount: '200.00', usageFrom: '2026-11-10' }),
      expect.objectContaining({ chargeType: 'CUSTOMER_CHARGE', subscription: null, description: 'Consulting, 4 hours', quantity: '1', amount: '120.00', usageFrom: '2026-11-12' }),
    ]);
    const sum = l.reduce((a: Decimal, x: Json) => a.plus(x.amount), new Decimal(0));
    expect(inv.subtotal.amount).toBe(sum.toFixed(2));
    expect(toCA.total.amount).toBe(sum.toFixed(2));
    for (const t of ['PARTNER_MONTHLY', 'PARTNER_ONE_TIME', 'CUSTOMER_CHARGE']) expect(inv.reconciliationCsv).toContain(`,${t},`);

    // The charge now names the invoice that billed it.
    const again = await must('AddCustomerCharge', { input: { customerId: C.CA, description: 'Consulting, 4 hours', amount: { amount: '120.00', currency: 'EUR' }, idempotencyKey: 'vas-charge-1' } }, P.A.token);
    expect(again.addCustomerCharge.charge.billedOn).toEqual({ id: toCA.id });

    // The reseller bills its own offer; its distributor's invoices never show it.
    const toCR = await lines(find('PARTNER_TO_CUSTOMER', C.CR).id, P.R.token);
    expect(toCR.lineItems.edges.map((e: Json) => [e.node.chargeType, e.node.subscription?.id, e.node.amount])).toEqual(
      expect.arrayContaining([['PARTNER_MONTHLY', ids.helpdeskSub, '6.33']]), // 1 × 10.00 × 19/30 (ordered on the 12th, active at once)
    );
    for (const kind of ['VENDOR_TO_PARTNER', 'DISTRIBUTOR_TO_RESELLER']) {
      const i = invoices.find((x: Json) => x.kind === kind && (x.billTo.id === P.D.id || x.billFrom.id === P.D.id));
      const body = JSON.stringify(await lines(i.id, P.D.token));
      expect(body).not.toContain(ids.helpdeskSub);
      expect(body).not.toMatch(/PARTNER_MONTHLY|PARTNER_ONE_TIME|CUSTOMER_CHARGE|Reseller helpdesk/);
    }
  });

  it('the lifecycle works for partner offers: quantity, suspend, reactivate, history', async () => {
    const id = ids.managedSub;
    expect((await must('UpdateSubscription', { id, quantity: 3 }, P.A.token)).updateSubscription.subscription).toMatchObject({ quantity: 3, status: 'ACTIVE' });
    expect(code(await stack.op('UpdateSubscription', { id: ids.setupSub, quantity: 3 }, P.A.token))).toBe('BAD_USER_INPUT');
    expect((await must('SuspendSubscription', { id, reason: 'unpaid' }, P.A.token)).suspendSubscription.subscription.status).toBe('SUSPENDED');
    expect((await must('ReactivateSubscription', { id }, P.A.token)).reactivateSubscription.subscription.status).toBe('ACTIVE');
    const history = (await must('Subscription', { id }, P.A.token)).subscription.history.map((h: Json) => h.status);
    expect(history).toEqual(['PENDING_FULFILMENT', 'ACTIVE', 'SUSPENDED', 'ACTIVE']);
  });

  it('an add-on is only orderable with its vendor offer, and ends with it', async () => {
    const backup = await publish(P.A.token, { name: 'Backup add-on', chargeType: 'MONTHLY', unitPrice: { amount: '5.00', currency: 'EUR' }, fulfilment: 'AUTOMATIC', attachesToOfferId: AZURE });
    // CX has no Azure plan: the add-on alone is refused; with one in the same order it is taken.
    const alone = await eventually(async () => {
      const r = await stack.op('PlaceOrder', { input: { customerId: C.CX, idempotencyKey: 'vas-addon-0', lineItems: [{ offerId: backup.id, quantity: 1 }] } }, P.A.token);
      return code(r) === 'BAD_USER_INPUT' && r;
    }, 20_000, 'add-on refused alone');
    expect(alone.errors![0].message).toMatch(/add-on/);
    const withBase = await placeOrder(P.A.token, { customerId: C.CX, idempotencyKey: 'vas-addon-1', lineItems: [{ offerId: AZURE, quantity: 1 }, { offerId: backup.id, quantity: 1 }] });
    await active(withBase.lineItems[1].subscription.id, 'the add-on with its base');
    // CA has an Azure plan already: the add-on attaches to it, and ends when it is cancelled.
    const addOn = (await placeOrder(P.A.token, { customerId: C.CA, idempotencyKey: 'vas-addon-2', lineItems: [{ offerId: backup.id, quantity: 1 }] })).lineItems[0].subscription;
    await active(addOn.id, 'the add-on on the existing plan');
    expect((await must('CancelSubscription', { id: ids.azureSub }, P.A.token)).cancelSubscription.subscription.status).toBe('CANCELLED');
    expect((await must('Subscription', { id: addOn.id }, P.A.token)).subscription.status).toBe('CANCELLED');
    // A partner offer on its own cancels like any subscription.
    expect((await must('CancelSubscription', { id: ids.managedSub }, P.A.token)).cancelSubscription.subscription.status).toBe('CANCELLED');
  });

  it('a retired offer takes no new orders; its subscriptions run on', async () => {
    const r = await stack.gql('mutation ($o: ID!) { retirePartnerOffer(offerId: $o) { offer { id status retiredAt } } }', { o: ids.setup }, P.A.token);
    expect(r.data.retirePartnerOffer.offer).toEqual({ id: ids.setup, status: 'RETIRED', retiredAt: expect.stringMatching(/^2026-12-01T00:0/) });
    // Ordering learns of it from the catalog's event.
    await eventually(async () => !(await orderable(C.CA, P.A.token)).edges.some((e: Json) => e.node.id === ids.setup), 20_000, 'retired offer no longer listed');
    const refused = await stack.op('PlaceOrder', { input: { customerId: C.CA, idempotencyKey: 'vas-retired', lineItems: [{ offerId: ids.setup, quantity: 1 }] } }, P.A.token);
    expect(code(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].message).toMatch(/retired/);
    expect((await must('Subscription', { id: ids.setupSub }, P.A.token)).subscription.status).toBe('ACTIVE');
  });

  it('publish, price change, retire, fulfil and charge are audited, and their events reach ordering and billing', async () => {
    const actions = await eventually(async () => {
      const found = new Set<string>();
      for (let after: string | undefined, more = true; more; ) {
        const r = (await must('AuditRecords', { first: 100, since: START, after }, op)).auditRecords;
        for (const e of r.edges) found.add(e.node.action);
        [after, more] = [r.pageInfo.endCursor, r.pageInfo.hasNextPage];
      }
      const want = ['catalog.publishPartnerOffer', 'catalog.changePartnerOfferPrice', 'catalog.retirePartnerOffer', 'subscription.fulfilSubscription', 'billing.addCustomerCharge'];
      return want.every((a) => found.has(a)) && found;
    }, 20_000, 'audit records');
    expect(actions.has('subscription.placeOrder')).toBe(true);
    // Each consumer keeps its own copy: the retirement reached ordering (above) and billing's prices hold the change.
    const billing = stack.services.billing!.deps as { models: { partnerOfferPrices: { countDocuments(f: object): Promise<number> } } };
    expect(await billing.models.partnerOfferPrices.countDocuments({ offerId: ids.managed })).toBe(2);
  });
});
