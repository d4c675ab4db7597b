import { startStack, type Stack } from '@csp/testkit';

/**
 * The outside probe's input classes (issue 17), through the gateway: each is refused with
 * BAD_USER_INPUT naming the field, and nothing is stored.
 */
let stack: Stack;
let op: string;
beforeAll(async () => {
  stack = await startStack('secinputs');
  op = await stack.operatorToken();
});
afterAll(() => stack?.stop());

const RECORD = 'mutation ($records: [UsageRecordInput!]!) { recordUsage(records: $records) { accepted rejected { index reason } } }';
const ONBOARD = 'mutation ($input: OnboardPartnerInput!) { onboardPartner(input: $input) { partner { id } } }';
const PUBLISH = 'mutation ($input: PublishOfferInput!) { publishOffer(input: $input) { offer { id } } }';
let n = 0;
const partner = (over: Record<string, unknown>) => ({ name: 'Probe Partner', tier: 'DIRECT_PROVIDER', country: 'DE', adminEmail: `probe${++n}@probe.example`, adminPassword: 'probe-password-1', ...over });
const offer = (over: Record<string, unknown>) => ({ name: 'Probe offer', family: 'THIRD_PARTY', billingType: 'LICENSE', minQuantity: 1, maxQuantity: 5, prices: [{ market: 'DE', unitPrice: '1.00' }], ...over });

describe('bounds and hygiene of domain input', () => {
  it('refuses a 28-digit usage quantity row by row, naming the bound', async () => {
    const r = await stack.gql(RECORD, { records: [{ recordId: 'huge-1', subscriptionId: 'sub_x', meterId: 'mtr_vm_d2s_v5', quantity: '1000000000000000000000000000', usageDate: '2026-11-01' }] }, op);
    expect(r.data.recordUsage.accepted).toBe(0);
    expect(r.data.recordUsage.rejected[0].reason).toMatch(/quantity .* at most/);
  });

  const refused: Array<[string, string, Record<string, unknown>, string]> = [
    ['a period in year 1', 'mutation ($p: String!) { startInvoiceRun(period: $p) { run { id } } }', { p: '0001-01' }, 'period'],
    ['currency XXX', ONBOARD, { input: partner({ currency: 'XXX' }) }, 'currency'],
    ['a currency the market does not use', ONBOARD, { input: partner({ currency: 'JPY' }) }, 'currency'],
    ['a right-to-left override in a name', ONBOARD, { input: partner({ name: 'Evil\u202Egnp.exe' }) }, 'name'],
    ['a zero-width space in a name', ONBOARD, { input: partner({ name: 'Con\u200Btoso' }) }, 'name'],
    ['a control character in a name', ONBOARD, { input: partner({ name: 'Line\u0007bell' }) }, 'name'],
    ['a unit price of 10^14', PUBLISH, { input: offer({ prices: [{ market: 'DE', unitPrice: '100000000000000' }] }) }, 'prices.unitPrice'],
    ['a bidi isolate in an offer name', PUBLISH, { input: offer({ name: 'Offer\u2066x' }) }, 'name'],
    ['country "ZZ"', 'query ($c: String!) { offers(country: $c) { totalCount } }', { c: 'ZZ' }, 'country'],
  ];
  it.each(refused)('%s', async (_what, query, variables, field) => {
    const r = await stack.gql(query, variables, op);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions!.field ?? r.errors![0].message).toContain(field);
    expect(r.errors![0].message).toEqual(expect.any(String));
  });
});
