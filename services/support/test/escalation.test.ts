import { startStack, type Stack } from '@csp/testkit';
import { buildSupportWorld, codeOf, must, openWhenKnown, ticketInput, type SupportWorld } from './fixtures';

/**
 * The escalation story: a reseller's customer opens a CRITICAL ticket with the reseller, the
 * reseller escalates to its distributor, the distributor to the vendor. Each party sees exactly
 * its own side; an unrelated partner and an unrelated customer see nothing.
 */
describe('escalation: customer → reseller → distributor → vendor', () => {
  let stack: Stack;
  let w: SupportWorld;
  let t1: any, t2: any, t3: any; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    stack = await startStack('support-escalation', { services: ['identity', 'catalog', 'support'] });
    w = await buildSupportWorld(stack);
    t1 = await openWhenKnown(stack, w.CR.token, ticketInput({ severity: 'CRITICAL', title: 'Production VMs are down' }));
  });
  afterAll(() => stack?.stop());

  it('the customer opens with its reseller (its partner by default): number, OPEN, a 1 h first-response target', async () => {
    expect(t1).toMatchObject({ status: 'OPEN', severity: 'CRITICAL', number: 'SR-00001', handledBy: { __typename: 'Partner', id: w.R.id } });
    const r = await stack.op('Ticket', { id: t1.id }, w.CR.token);
    expect(r.errors).toBeUndefined();
    const created = new Date(r.data.ticket.createdAt).getTime();
    expect(new Date(r.data.ticket.firstResponseDueAt).getTime() - created).toBe(60 * 60 * 1000);
    expect(r.data.ticket.overdue).toBe(false);
  });

  it('the reseller answers (first response) and escalates to its distributor; the distributor to the vendor', async () => {
    await must(stack, 'AddTicketNote', { ticketId: t1.id, body: 'We are on it and escalate to our distributor.' }, w.R.token);
    t2 = (await must(stack, 'EscalateTicket', { ticketId: t1.id, description: 'Customer CR: all VMs down since 08:00.' }, w.R.token)).escalateTicket.escalation;
    expect(t2).toMatchObject({ status: 'OPEN', number: 'SR-00001' });
    t3 = (await must(stack, 'EscalateTicket', { ticketId: t2.id, description: 'Reseller R reports a region-wide outage.' }, w.D.token)).escalateTicket.escalation;
    expect(t3).toMatchObject({ status: 'OPEN', number: 'VND-00001' });
    const again = await stack.op('EscalateTicket', { ticketId: t1.id, description: 'once more' }, w.R.token);
    expect(codeOf(again)).toBe('CONFLICT');
    const byVendor = await stack.op('EscalateTicket', { ticketId: t3.id, description: 'nowhere to go' }, w.operator);
    expect(codeOf(byVendor)).toBe('FORBIDDEN');
  });

  it('each party sees exactly its side', async () => {
    const see = async (token: string) => {
      const list = await stack.op('Tickets', { first: 20 }, token);
      expect(list.errors).toBeUndefined();
      return new Set(list.data.tickets.edges.map((e: { node: { id: string } }) => e.node.id));
    };
    expect(await see(w.CR.token)).toEqual(new Set([t1.id]));
    expect(await see(w.R.token)).toEqual(new Set([t1.id, t2.id]));
    expect(await see(w.D.token)).toEqual(new Set([t2.id, t3.id]));
    expect(await see(w.operator)).toEqual(new Set([t3.id]));
    expect(await see(w.U.token)).toEqual(new Set());
    expect(await see(w.CU.token)).toEqual(new Set());

    const one = async (id: string, token: string) => stack.op('Ticket', { id }, token);
    for (const [token, allowed] of [
      [w.CR.token, [t1.id]],
      [w.R.token, [t1.id, t2.id]],
      [w.D.token, [t2.id, t3.id]],
      [w.operator, [t3.id]],
      [w.U.token, []],
      [w.CU.token, []],
    ] as const) {
      for (const id of [t1.id, t2.id, t3.id]) {
        const r = await one(id, token);
        if ((allowed as readonly string[]).includes(id)) expect(r.data?.ticket?.id).toBe(id);
        else expect(codeOf(r)).toBe('NOT_FOUND');
      }
    }
    // The links show only what the viewer may see: the customer never sees the level above.
    expect((await one(t1.id, w.CR.token)).data.ticket.escalations).toEqual([]);
    expect((await one(t1.id, w.R.token)).data.ticket.escalations).toEqual([{ id: t2.id, number: t2.number, status: 'OPEN', handledBy: { __typename: 'Partner' } }]);
    expect((await one(t2.id, w.R.token)).data.ticket.escalations).toEqual([]);
    expect((await one(t2.id, w.D.token)).data.ticket.escalations).toEqual([{ id: t3.id, number: 'VND-00001', status: 'OPEN', handledBy: { __typename: 'SupportVendor' } }]);
    // Each conversation stays on its own ticket.
    const notes = (await one(t1.id, w.CR.token)).data.ticket.notes;
    expect(notes.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual(['We are on it and escalate to our distributor.']);
    expect((await one(t3.id, w.operator)).data.ticket.notes.totalCount).toBe(0);
  });

  it('a status change upstream reaches the side below as an event, not as notes', async () => {
    await must(stack, 'AddTicketNote', { ticketId: t3.id, body: 'Fixed: a faulty host update was rolled back.', setStatus: 'CLOSED' }, w.operator);
    const activity = async () =>
      (await stack.gql('query ($id: ID!) { ticket(id: $id) { activity { kind status message } notes(first: 10) { totalCount } } }', { id: t2.id }, w.R.token)).data.ticket;
    const { eventually } = await import('@csp/testkit');
    const seen = await eventually(async () => {
      const t = await activity();
      return t.activity.find((a: { kind: string }) => a.kind === 'ESCALATION_STATUS_CHANGED') ? t : null;
    });
    expect(seen.activity.find((a: { kind: string }) => a.kind === 'ESCALATION_STATUS_CHANGED')).toMatchObject({ status: 'CLOSED' });
    expect(seen.notes.totalCount).toBe(0);
    // The vendor's conversation never reaches the customer.
    const c = await stack.gql('query ($id: ID!) { ticket(id: $id) { activity { kind } notes(first: 10) { edges { node { body } } } } }', { id: t1.id }, w.CR.token);
    expect(JSON.stringify(c.data)).not.toContain('faulty host');
  });
});
