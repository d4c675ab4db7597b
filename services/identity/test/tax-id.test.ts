import { errorCode, startStack, type Stack } from '@csp/testkit';
import { login, queuedEvents, seedMarkets, unique, until } from './identity-fixtures';

/** Partners and customers may give a VAT number: validated for shape, stored, and carried to billing in their events. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('identity-taxid', { services: ['identity'] });
  await seedMarkets(stack);
});
afterAll(() => stack?.stop());

const ONBOARD = `mutation ($input: OnboardPartnerInput!) { onboardPartner(input: $input) { partner { id country taxId } } }`;
const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id country taxId } } }`;

const partnerInput = (over: Record<string, unknown>) => ({
  name: unique('Tax Partner '),
  tier: 'DIRECT_PROVIDER',
  country: 'SE',
  adminEmail: `${unique('t')}@taxid.example`,
  adminPassword: 'partner-password-1',
  ...over,
});

it('onboardPartner and createCustomer take an optional tax id of the right shape and announce it', async () => {
  const op = await stack.operatorToken();
  const bad = await stack.gql(ONBOARD, { input: partnerInput({ taxId: 'SE123' }) }, op);
  expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  expect(bad.errors![0].message).toMatch(/not a VAT number of Sweden/);
  // A German number for a Swedish partner is not its VAT number either.
  expect(errorCode(await stack.gql(ONBOARD, { input: partnerInput({ taxId: 'DE123456789' }) }, op))).toBe('BAD_USER_INPUT');

  const input = partnerInput({ taxId: 'se 5566778899 01' });
  const r = await stack.gql(ONBOARD, { input }, op);
  expect(r.errors).toBeUndefined();
  const partner = r.data.onboardPartner.partner;
  expect(partner).toEqual({ id: partner.id, country: 'SE', taxId: 'SE556677889901' });
  const ev = await until('partner.onboarded with taxId', async () => (await queuedEvents(stack, 'billing', 'partner.onboarded')).find((e) => e.payload.partnerId === partner.id));
  expect(ev.payload.taxId).toBe('SE556677889901');

  const token = await login(stack, input.adminEmail, input.adminPassword);
  const domain = `${unique('tx')}.example`;
  const customer = { companyName: 'Taxed AB', domain, country: 'DK', adminEmail: `admin@${domain}`, adminPassword: 'customer-password-1' };
  expect(errorCode(await stack.gql(CREATE, { input: { ...customer, taxId: 'DK1' } }, token))).toBe('BAD_USER_INPUT');
  const c = await stack.gql(CREATE, { input: { ...customer, taxId: 'DK12345678' } }, token);
  expect(c.errors).toBeUndefined();
  expect(c.data.createCustomer.customer).toMatchObject({ country: 'DK', taxId: 'DK12345678' });
  const created = await until('customer.created with taxId', async () => (await queuedEvents(stack, 'billing', 'customer.created')).find((e) => e.payload.customerId === c.data.createCustomer.customer.id));
  expect(created.payload.taxId).toBe('DK12345678');
  // Without one: no tax id, as before.
  const plain = await stack.gql(ONBOARD, { input: partnerInput({}) }, op);
  expect(plain.data.onboardPartner.partner.taxId).toBeNull();
});
