import { eventually, startStack, type Stack } from '@csp/testkit';
import { buildSupportWorld, codeOf, must, OPEN, openWhenKnown, ticketInput, type SupportWorld } from './fixtures';

/** Who opens with whom, bad input, the thread and status rules, references, assignment, lists. */
describe('support rules', () => {
  let stack: Stack;
  let w: SupportWorld;

  beforeAll(async () => {
    stack = await startStack('support-rules', { services: ['identity', 'catalog', 'support'] });
    w = await buildSupportWorld(stack);
    await openWhenKnown(stack, w.CA.token, ticketInput()); // read models caught up
  });
  afterAll(() => stack?.stop());

  const open = (token: string, extra: Record<string, unknown> = {}) => stack.gql(OPEN, { input: ticketInput(extra) }, token);
  const count = async () => (await stack.op('Tickets', { first: 100 }, w.operator)).data.tickets.totalCount + (await stack.op('Tickets', { first: 100 }, w.A.token)).data.tickets.totalCount;

  describe('who opens with whom', () => {
    it('a customer cannot address the vendor, nor a partner it has no relationship with', async () => {
      const before = await count();
      expect(codeOf(await open(w.CA.token, { toVendor: true }))).toBe('FORBIDDEN');
      expect(codeOf(await open(w.CA.token, { partnerId: w.U.id }))).toBe('FORBIDDEN');
      // A reseller's customer asks the reseller, not the distributor behind it.
      expect(codeOf(await open(w.CR.token, { partnerId: w.D.id }))).toBe('FORBIDDEN');
      expect(await count()).toBe(before);
    });

    it('a reseller opens with its distributor only; direct providers and distributors with the vendor only', async () => {
      const r = await open(w.R.token);
      expect(r.data?.openTicket.ticket.handledBy).toEqual({ __typename: 'Partner', id: w.D.id });
      expect(codeOf(await open(w.R.token, { toVendor: true }))).toBe('FORBIDDEN');
      expect(codeOf(await open(w.R.token, { partnerId: w.U.id }))).toBe('FORBIDDEN');
      const a = await open(w.A.token, { toVendor: true });
      expect(a.data?.openTicket.ticket.handledBy).toEqual({ __typename: 'SupportVendor' });
      expect(codeOf(await open(w.A.token, { partnerId: w.U.id }))).toBe('FORBIDDEN');
      expect(codeOf(await open(w.D.token, { partnerId: w.R.id }))).toBe('FORBIDDEN');
      expect(codeOf(await open(w.operator, { toVendor: true }))).toBe('FORBIDDEN');
      expect(codeOf(await open(w.A.token, { toVendor: true, partnerId: w.U.id }))).toBe('BAD_USER_INPUT');
    });

    it('numbers are per handler and never collide, even when opened at once', async () => {
      const many = await Promise.all(Array.from({ length: 6 }, () => open(w.CU.token)));
      const numbers = many.map((r) => r.data!.openTicket.ticket.number);
      expect(new Set(numbers).size).toBe(6);
      expect(numbers.every((n) => /^SR-\d{5}$/.test(n))).toBe(true);
    });

    it('a revoked relationship closes the door for new tickets; history stays readable by both sides', async () => {
      const t = (await open(w.CU.token)).data!.openTicket.ticket;
      const rev = await stack.gql('mutation ($c: ID!) { revokeRelationship(customerId: $c) { relationship { status } } }', { c: w.CU.id }, w.U.token);
      expect(rev.errors).toBeUndefined();
      await eventually(async () => codeOf(await open(w.CU.token)) === 'FORBIDDEN');
      expect((await stack.op('Ticket', { id: t.id }, w.CU.token)).data.ticket.id).toBe(t.id);
      expect((await stack.op('Ticket', { id: t.id }, w.U.token)).data.ticket.id).toBe(t.id);
    });
  });

  describe('bad input: BAD_USER_INPUT, nothing stored', () => {
    it('empty or oversize title and description, limits named', async () => {
      const before = await count();
      const empty = await open(w.CA.token, { title: '   ' });
      expect(empty.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'title' } });
      const long = await open(w.CA.token, { title: 'x'.repeat(201) });
      expect(long.errors?.[0].message).toMatch(/at most 200 characters/);
      const body = await open(w.CA.token, { description: 'y'.repeat(10_001) });
      expect(body.errors?.[0].message).toMatch(/at most 10000 characters/);
      expect(codeOf(await open(w.CA.token, { severity: 'URGENT' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await open(w.CA.token, { topic: 'GOSSIP' }))).toBe('BAD_USER_INPUT');
      expect(await count()).toBe(before);
    });

    it('notes: empty or oversize body; a closed ticket takes no notes, reopens within 14 days', async () => {
      const t = (await open(w.CA.token)).data!.openTicket.ticket;
      expect(codeOf(await stack.op('AddTicketNote', { ticketId: t.id, body: '' }, w.CA.token))).toBe('BAD_USER_INPUT');
      expect((await stack.op('AddTicketNote', { ticketId: t.id, body: 'z'.repeat(10_001) }, w.CA.token)).errors?.[0].message).toMatch(/at most 10000/);
      expect(codeOf(await stack.op('AddTicketNote', { ticketId: t.id, body: 'x', setStatus: 'PENDING' }, w.CA.token))).toBe('BAD_USER_INPUT');
      const closed = await must(stack, 'AddTicketNote', { ticketId: t.id, body: 'Solved, thanks.', setStatus: 'CLOSED' }, w.A.token);
      expect(closed.addTicketNote.ticket.status).toBe('CLOSED');
      const late = await stack.op('AddTicketNote', { ticketId: t.id, body: 'One more thing' }, w.CA.token);
      expect(codeOf(late)).toBe('BAD_USER_INPUT');
      expect(late.errors?.[0].message).toMatch(/closed/);
      const notes = async () => (await stack.op('Ticket', { id: t.id }, w.CA.token)).data.ticket.notes.totalCount;
      expect(await notes()).toBe(1);
      const reopened = await must(stack, 'AddTicketNote', { ticketId: t.id, body: 'It is back.', setStatus: 'OPEN' }, w.CA.token);
      expect(reopened.addTicketNote.ticket.status).toBe('OPEN');
      expect(await notes()).toBe(2);
    });
  });

  describe('the thread and status', () => {
    it('OPEN → ATTENTION_NEEDED (handler asks) → OPEN (requester answers) → CLOSED; internal notes for the handling side only', async () => {
      const t = (await open(w.CA.token)).data!.openTicket.ticket;
      expect(codeOf(await stack.op('AddTicketNote', { ticketId: t.id, body: 'hurry', setStatus: 'ATTENTION_NEEDED' }, w.CA.token))).toBe('FORBIDDEN');
      const ask = await must(stack, 'AddTicketNote', { ticketId: t.id, body: 'Which region?', setStatus: 'ATTENTION_NEEDED' }, w.A.token);
      expect(ask.addTicketNote.ticket.status).toBe('ATTENTION_NEEDED');
      const internal = await stack.gql('mutation ($t: ID!) { addTicketNote(ticketId: $t, body: "Probably the known bug", internal: true) { note { id internal } } }', { t: t.id }, w.A.token);
      expect(internal.data.addTicketNote.note.internal).toBe(true);
      expect(codeOf(await stack.gql('mutation ($t: ID!) { addTicketNote(ticketId: $t, body: "psst", internal: true) { note { id } } }', { t: t.id }, w.CA.token))).toBe('FORBIDDEN');
      const answer = await must(stack, 'AddTicketNote', { ticketId: t.id, body: 'West Europe.' }, w.CA.token);
      expect(answer.addTicketNote.ticket.status).toBe('OPEN');
      const bodies = async (token: string) => (await stack.op('Ticket', { id: t.id }, token)).data.ticket.notes.edges.map((e: { node: { body: string } }) => e.node.body);
      expect(await bodies(w.CA.token)).toEqual(['Which region?', 'West Europe.']);
      expect(await bodies(w.A.token)).toEqual(['Which region?', 'Probably the known bug', 'West Europe.']);
      const authors = (await stack.op('Ticket', { id: t.id }, w.CA.token)).data.ticket.notes.edges.map((e: { node: { author: { email: string } } }) => e.node.author.email);
      expect(authors).toEqual([w.A.email, w.CA.email]);
      await must(stack, 'AddTicketNote', { ticketId: t.id, body: 'Done.', setStatus: 'CLOSED' }, w.A.token);
      expect((await stack.op('Ticket', { id: t.id }, w.CA.token)).data.ticket.status).toBe('CLOSED');
    });

    it('the requester and its tenant admin see the ticket; other customer users and non-support partner staff do not', async () => {
      const t = (await open(w.CA.token)).data!.openTicket.ticket;
      const plainUser = await stack.mint({ userId: 'usr_plain_ca', kind: 'CUSTOMER_USER', customerId: w.CA.id, roles: ['USER'] });
      const sales = await stack.mint({ userId: 'usr_sales_a', kind: 'PARTNER_USER', partnerId: w.A.id, roles: ['SALES_AGENT'] });
      const helpdesk = await stack.mint({ userId: 'usr_help_a', kind: 'PARTNER_USER', partnerId: w.A.id, roles: ['HELPDESK_AGENT'] });
      expect(codeOf(await stack.op('Ticket', { id: t.id }, plainUser))).toBe('NOT_FOUND');
      expect(codeOf(await stack.op('Ticket', { id: t.id }, sales))).toBe('NOT_FOUND');
      expect((await stack.op('Ticket', { id: t.id }, helpdesk)).data.ticket.id).toBe(t.id);
      expect(codeOf(await stack.op('AddTicketNote', { ticketId: t.id, body: 'hi' }, sales))).toBe('NOT_FOUND');
      expect(codeOf(await stack.op('Ticket', { id: 'tkt_unknown' }, w.CA.token))).toBe('NOT_FOUND');
    });
  });

  describe('references', () => {
    it('a subscription and an invoice must be the requester\'s own (as their owners announced them)', async () => {
      const own = 'sub_support_own';
      const foreign = 'sub_support_foreign';
      const facts = { offerId: 'off_azure_plan', billingType: 'USAGE' as const, quantity: 1, market: 'EU', at: new Date().toISOString() };
      await stack.publish('subscription.created', { subscriptionId: own, customerId: w.CA.id, partnerId: w.A.id, ...facts });
      await stack.publish('subscription.created', { subscriptionId: foreign, customerId: w.CU.id, partnerId: w.U.id, ...facts });
      const t = await eventually(async () => (await open(w.CA.token, { subscriptionId: own })).data?.openTicket.ticket);
      expect((await stack.op('Ticket', { id: t.id }, w.CA.token)).data.ticket.subscription).toEqual({ id: own });
      const r = await open(w.CA.token, { subscriptionId: foreign });
      expect(codeOf(r)).toBe('NOT_FOUND');
      expect(r.errors?.[0].message).not.toContain(w.CU.id);
      const at = new Date().toISOString();
      await stack.publish('invoice.issued', { invoiceId: 'inv_support_own', number: 'INV-1', kind: 'PARTNER_TO_CUSTOMER', period: '2026-10', issuerId: w.A.id, billToId: w.CA.id, at });
      await stack.publish('invoice.issued', { invoiceId: 'inv_support_foreign', number: 'INV-2', kind: 'PARTNER_TO_CUSTOMER', period: '2026-10', issuerId: w.U.id, billToId: w.CU.id, at });
      const withInvoice = await eventually(async () => (await open(w.CA.token, { topic: 'BILLING', invoiceId: 'inv_support_own' })).data?.openTicket.ticket);
      const seen = await stack.gql('query ($id: ID!) { ticket(id: $id) { topic } }', { id: withInvoice.id }, w.A.token);
      expect(seen.data.ticket.topic).toBe('BILLING');
      // The issuing partner may name its own invoice too (e.g. towards the vendor), nobody else.
      expect((await open(w.A.token, { toVendor: true, invoiceId: 'inv_support_own' })).errors).toBeUndefined();
      expect(codeOf(await open(w.CA.token, { invoiceId: 'inv_support_foreign' }))).toBe('NOT_FOUND');
      expect(codeOf(await open(w.U.token, { toVendor: true, invoiceId: 'inv_support_own' }))).toBe('NOT_FOUND');
      expect(codeOf(await open(w.CA.token, { invoiceId: 'inv_whatever' }))).toBe('NOT_FOUND');
      expect(codeOf(await open(w.CA.token, { relatedTicketId: 'tkt_not_mine' }))).toBe('NOT_FOUND');
    });
  });

  describe('assignment', () => {
    it('the handling side assigns to one of its support staff; others are not found', async () => {
      const t = (await open(w.CA.token)).data!.openTicket.ticket;
      const assign = (userId: string | null, token: string) =>
        stack.gql('mutation ($t: ID!, $u: ID) { assignTicket(ticketId: $t, userId: $u) { ticket { id assignee { id } } } }', { t: t.id, u: userId }, token);
      await stack.publish('user.rolesChanged', { userId: 'usr_agent_a', email: 'agent@a.example', kind: 'PARTNER_USER', partnerId: w.A.id, roles: ['HELPDESK_AGENT'] });
      await stack.publish('user.rolesChanged', { userId: 'usr_sales_a2', email: 'sales@a.example', kind: 'PARTNER_USER', partnerId: w.A.id, roles: ['SALES_AGENT'] });
      const ok = await eventually(async () => (await assign('usr_agent_a', w.A.token)).data?.assignTicket);
      expect(ok.ticket.assignee).toEqual({ id: 'usr_agent_a' });
      expect(codeOf(await assign('usr_sales_a2', w.A.token))).toBe('NOT_FOUND');
      expect(codeOf(await assign(w.U.userId, w.A.token))).toBe('NOT_FOUND');
      expect(codeOf(await assign(w.CA.userId, w.CA.token))).toBe('FORBIDDEN');
      expect((await assign(null, w.A.token)).data.assignTicket.ticket.assignee).toBeNull();
    });
  });

  describe('audit', () => {
    it('every support mutation is in the graph-wide audit log', async () => {
      const t = (await open(w.CA.token)).data!.openTicket.ticket;
      const r = await eventually(async () => {
        const x = await stack.op('AuditRecords', { first: 20, targetId: t.id }, w.operator);
        return x.data?.auditRecords.edges.length ? x : null;
      });
      expect(r.data.auditRecords.edges[0].node).toMatchObject({ action: 'support.openTicket', service: 'support', actor: { id: w.CA.userId } });
    });
  });

  describe('lists', () => {
    it('newest activity first, filters, pages with cursors', async () => {
      const mine = await stack.op('Tickets', { first: 2, severity: 'MODERATE' }, w.CA.token);
      const total = mine.data.tickets.totalCount;
      expect(total).toBeGreaterThan(3);
      const ids: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await stack.op('Tickets', { first: 2, after, severity: 'MODERATE' }, w.CA.token);
        ids.push(...page.data.tickets.edges.map((e: { node: { id: string } }) => e.node.id));
        if (!page.data.tickets.pageInfo.hasNextPage) break;
        after = page.data.tickets.pageInfo.endCursor;
      }
      expect(new Set(ids).size).toBe(total);
      const all = (await stack.op('Tickets', { first: 100 }, w.CA.token)).data.tickets.edges.map((e: { node: { updatedAt: string } }) => e.node.updatedAt);
      expect([...all].sort().reverse()).toEqual(all);
      const closed = await stack.op('Tickets', { first: 100, status: 'CLOSED' }, w.CA.token);
      expect(closed.data.tickets.edges.every((e: { node: { status: string } }) => e.node.status === 'CLOSED')).toBe(true);
      expect(codeOf(await stack.op('Tickets', { first: 0 }, w.CA.token))).toBe('BAD_USER_INPUT');
      expect(codeOf(await stack.op('Tickets', { first: 5 }))).toBe('UNAUTHENTICATED');
    });
  });
});
