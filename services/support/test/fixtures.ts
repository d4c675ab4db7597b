import { eventually, OPERATOR, type Stack } from '@csp/testkit';
import { randomBytes } from 'node:crypto';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Party {
  id: string;
  userId: string;
  email: string;
  token: string;
}

/**
 * A small support world through the gateway: D (distributor) ── R (reseller) ── CR (its customer),
 * A (direct provider) ── CA, and U (an unrelated direct provider) ── CU (an unrelated customer).
 */
export interface SupportWorld {
  operator: string;
  D: Party;
  R: Party;
  A: Party;
  U: Party;
  CR: Party;
  CA: Party;
  CU: Party;
}

export async function must(stack: Stack, name: string, vars: Record<string, unknown>, token?: string): Promise<Json> {
  const r = await stack.op(name, vars, token);
  if (r.errors?.length || !r.data) throw new Error(`${name}: ${JSON.stringify(r.errors ?? r.status)}`);
  return r.data;
}

export async function buildSupportWorld(stack: Stack): Promise<SupportWorld> {
  const tag = randomBytes(3).toString('hex');
  const login = async (email: string, password: string) => (await must(stack, 'Login', { email, password })).login.accessToken as string;
  const operator = await login(OPERATOR.email, OPERATOR.password);
  const onboard = async (key: string, tier: string): Promise<Party> => {
    const email = `admin.${key.toLowerCase()}.${tag}@support.example`;
    const password = `${key}-support-password-1`;
    const d = await eventually(
      () => must(stack, 'OnboardPartner', { input: { name: `Support ${key} ${tag}`, tier, country: 'DE', adminEmail: email, adminPassword: password } }, operator),
      20_000,
      `onboard ${key}`,
    );
    return { id: d.onboardPartner.partner.id, userId: d.onboardPartner.adminUser.id, email, token: await login(email, password) };
  };
  const [D, R, A, U] = await Promise.all([onboard('D', 'INDIRECT_PROVIDER'), onboard('R', 'INDIRECT_RESELLER'), onboard('A', 'DIRECT_PROVIDER'), onboard('U', 'DIRECT_PROVIDER')]);
  await must(stack, 'LinkReseller', { resellerId: R.id }, D.token);
  const acc = await stack.gql('mutation ($d: ID!) { acceptResellerLink(distributorId: $d) { status } }', { d: D.id }, R.token);
  if (acc.errors?.length) throw new Error(`accept link: ${JSON.stringify(acc.errors)}`);
  const customer = async (key: string, partner: Party): Promise<Party> => {
    const domain = `support-${key.toLowerCase()}-${tag}.example`;
    const email = `admin@${domain}`;
    const password = `${key}-customer-password-1`;
    const d = await eventually(
      () => must(stack, 'CreateCustomer', { input: { companyName: `Support ${key} ${tag}`, domain, country: 'DE', adminEmail: email, adminPassword: password } }, partner.token),
      20_000,
      `create ${key}`,
    );
    return { id: d.createCustomer.customer.id, userId: d.createCustomer.adminUser.id, email, token: await login(email, password) };
  };
  const [CR, CA, CU] = await Promise.all([customer('CR', R), customer('CA', A), customer('CU', U)]);
  return { operator, D, R, A, U, CR, CA, CU };
}

export const OPEN = `mutation ($input: OpenTicketInput!) { openTicket(input: $input) { ticket { id number status severity firstResponseDueAt handledBy { __typename ... on Partner { id } } } } }`;

export const ticketInput = (extra: Record<string, unknown> = {}) => ({ severity: 'MODERATE', topic: 'TECHNICAL', title: 'VM does not start', description: 'Since this morning the VM fails to boot.', ...extra });

/** Opens a ticket once support's read models know the parties (they follow identity's events). */
export async function openWhenKnown(stack: Stack, token: string, input: Record<string, unknown>): Promise<Json> {
  return eventually(
    async () => {
      const r = await stack.op('OpenTicket', { input }, token);
      if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
      return r.data!.openTicket.ticket;
    },
    20_000,
    'open a ticket',
  );
}

export const codeOf = (r: { errors?: Array<{ extensions?: { code?: string } }> }) => r.errors?.[0]?.extensions?.code;
