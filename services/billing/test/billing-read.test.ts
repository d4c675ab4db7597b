import { errorCode } from '@csp/testkit';
import { runMonth, seedWorld, startBillingStack, subFact, unbilled, W, waitForFacts, type BillingStack } from './billing-fixtures';

/**
 * Hole 6: billing/read is checked — invoices and unbilled charges need a billing role (customer
 * BILLING_ADMIN or ADMIN; partner BILLING_ADMIN, ADMIN or ADMIN_AGENT), per the staff-role table.
 */
let s: BillingStack;
const SUB = 'sub_billread_a';
beforeAll(async () => {
  s = await startBillingStack('billread');
  await s.startWorker();
  await seedWorld(s);
  await subFact(s, 'activated', { subscriptionId: SUB, customerId: W.c1, partnerId: W.direct, offerId: W.azure, billingType: 'USAGE', quantity: 1, at: '2025-12-01T00:00:00.000Z' });
  await waitForFacts(s, 1);
  const op = await s.operatorToken();
  const rec = await s.op('RecordUsage', { records: [{ recordId: 'billread-1', subscriptionId: SUB, meterId: W.meter, quantity: '10', usageDate: '2026-01-10' }] }, op);
  expect(rec.errors).toBeUndefined();
  await runMonth(s, '2026-01');
}, 60_000);
afterAll(() => s?.stop());

const customer = (roles: string[]) => s.mint({ userId: `usr_c1${roles.join('').toLowerCase()}`, kind: 'CUSTOMER_USER', customerId: W.c1, roles: roles as never });
const partner = (roles: string[]) => s.mint({ userId: `usr_p${roles.join('').toLowerCase()}`, kind: 'PARTNER_USER', partnerId: W.direct, roles: roles as never });

describe('billing/read', () => {
  it("a customer's USER sees no invoice and no unbilled figure; its BILLING_ADMIN and ADMIN do", async () => {
    const admin = await customer(['BILLING_ADMIN']);
    const list = await s.op('Invoices', { period: '2026-01' }, admin);
    expect(list.errors).toBeUndefined();
    const id = list.data.invoices.edges[0].node.id as string;
    for (const token of [admin, await customer(['ADMIN'])]) {
      expect((await s.op('InvoiceReconciliation', { id, first: 5 }, token)).errors).toBeUndefined();
    }
    const user = await customer(['USER']);
    expect(errorCode(await s.op('Invoices', { period: '2026-01' }, user))).toBe('FORBIDDEN');
    const one = await s.op('InvoiceReconciliation', { id, first: 5 }, user);
    expect(errorCode(one)).toBe('FORBIDDEN');
    expect(one.data?.invoice ?? null).toBeNull();
    expect(await unbilled(s, user, SUB)).toEqual([null]);
  });

  it("a partner's SALES_AGENT and HELPDESK_AGENT see no invoices; BILLING_ADMIN, ADMIN and ADMIN_AGENT do", async () => {
    for (const roles of [['SALES_AGENT'], ['HELPDESK_AGENT']]) {
      const t = await partner(roles);
      expect([roles[0], errorCode(await s.op('Invoices', { period: '2026-01' }, t))]).toEqual([roles[0], 'FORBIDDEN']);
      expect(await unbilled(s, t, SUB)).toEqual([null]);
    }
    for (const roles of [['BILLING_ADMIN'], ['ADMIN'], ['ADMIN_AGENT']]) {
      const r = await s.op('Invoices', { period: '2026-01' }, await partner(roles));
      expect([roles[0], r.errors, r.data.invoices.totalCount > 0]).toEqual([roles[0], undefined, true]);
    }
  });
});
