import { eventually, startStack, type Stack } from '@csp/testkit';
import { startSupport } from '../src/app';
import { buildSupportWorld, must, openWhenKnown, ticketInput, type SupportWorld } from './fixtures';

/** Targets follow the platform clock: the test clock passes the target, the ticket turns overdue, the breach is published once. */
describe('SLA targets and breaches', () => {
  let stack: Stack;
  let w: SupportWorld;
  let replica: Awaited<ReturnType<typeof startSupport>>;

  beforeAll(async () => {
    stack = await startStack('support-sla', { services: ['identity', 'catalog', 'support'], env: { SUPPORT_SLA_POLL_MS: '200' } });
    // A second replica of support on the same database and queues: both sweep.
    replica = await startSupport({ ...stack.env, MONGO_DB: `${stack.env.DB_PREFIX}_support`, JWKS_URL: `${stack.identity.url}/.well-known/jwks.json`, SUPPORT_SLA_POLL_MS: '200' }, true);
    w = await buildSupportWorld(stack);
  });
  afterAll(async () => {
    await replica?.stop();
    await stack?.stop();
  });

  it('turns overdue when the clock passes the first-response target; the breach event is published once', async () => {
    const t = await openWhenKnown(stack, w.CA.token, ticketInput({ severity: 'CRITICAL' }));
    const read = async () => (await stack.gql('query ($id: ID!) { ticket(id: $id) { overdue activity { kind message } } }', { id: t.id }, w.A.token)).data.ticket;
    expect((await read()).overdue).toBe(false);
    const due = new Date(t.firstResponseDueAt);
    await must(stack, 'AdvanceClock', { to: new Date(due.getTime() + 60_000).toISOString() }, w.operator);
    const after = await eventually(async () => {
      const r = await read();
      return r.overdue && r.activity.some((a: { kind: string }) => a.kind === 'SLA_BREACHED') ? r : null;
    });
    expect(after.overdue).toBe(true);
    // Both replicas swept after the jump (and poll every 200 ms): still one breach, one event.
    await Promise.all([replica.rt.clock.sync(), stack.services.support!.rt.clock.sync()]);
    const breaches = await replica.deps.models.breaches.find({ ticketId: t.id }).lean();
    expect(breaches.map((b) => b.target)).toEqual(['FIRST_RESPONSE']);
    await new Promise((r) => setTimeout(r, 600)); // let further sweeps happen: they must add nothing
    expect((await read()).activity.filter((a: { kind: string }) => a.kind === 'SLA_BREACHED')).toHaveLength(1);

    // The first response ends the first-response breach; overdue again only past the resolution target.
    await must(stack, 'AddTicketNote', { ticketId: t.id, body: 'Looking into it now.' }, w.A.token);
    expect((await read()).overdue).toBe(false);
  });

  it('a partner ADMIN sets its own targets; new tickets follow them', async () => {
    const r = await stack.gql(
      'mutation ($i: SupportTargetInput!) { setSupportTargets(input: $i) { severity firstResponseMinutes resolutionMinutes } }',
      { i: { severity: 'MINIMAL', firstResponseMinutes: 30, resolutionMinutes: 120 } },
      w.A.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.setSupportTargets).toContainEqual({ severity: 'MINIMAL', firstResponseMinutes: 30, resolutionMinutes: 120 });
    const t = await openWhenKnown(stack, w.CA.token, ticketInput({ severity: 'MINIMAL' }));
    const full = (await stack.op('Ticket', { id: t.id }, w.CA.token)).data.ticket;
    expect(new Date(full.firstResponseDueAt).getTime() - new Date(full.createdAt).getTime()).toBe(30 * 60_000);
    const bad = await stack.gql('mutation ($i: SupportTargetInput!) { setSupportTargets(input: $i) { severity } }', { i: { severity: 'MINIMAL', firstResponseMinutes: 0, resolutionMinutes: 10 } }, w.A.token);
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.errors?.[0].message).toMatch(/between 1 and 129600/);
    const byCustomer = await stack.gql('mutation ($i: SupportTargetInput!) { setSupportTargets(input: $i) { severity } }', { i: { severity: 'MINIMAL', firstResponseMinutes: 5, resolutionMinutes: 10 } }, w.CA.token);
    expect(byCustomer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('exposes open tickets by severity, breaches and time to first response as metrics', async () => {
    const support = stack.services.support!;
    const text = await (await fetch(`${support.url}/metrics`)).text();
    expect(text).toMatch(/support_open_tickets\{[^}]*severity="CRITICAL"[^}]*\} [1-9]/);
    expect(text).toMatch(/support_sla_breaches_total\{[^}]*target="FIRST_RESPONSE"[^}]*\} 1\b/);
    expect(text).toMatch(/support_first_response_seconds_count\{[^}]*severity="CRITICAL"/);
  });
});

describe('reopening', () => {
  let stack: Stack;
  let w: SupportWorld;
  beforeAll(async () => {
    stack = await startStack('support-reopen', { services: ['identity', 'catalog', 'support'] });
    w = await buildSupportWorld(stack);
  });
  afterAll(() => stack?.stop());

  it('a closed ticket reopens within 14 days of closing, not later', async () => {
    const [early, late] = [await openWhenKnown(stack, w.CA.token, ticketInput()), await openWhenKnown(stack, w.CA.token, ticketInput())];
    for (const t of [early, late]) await must(stack, 'AddTicketNote', { ticketId: t.id, body: 'Fixed.', setStatus: 'CLOSED' }, w.A.token);
    const now = new Date((await must(stack, 'Clock', {})).clock.now);
    await must(stack, 'AdvanceClock', { to: new Date(now.getTime() + 13 * 86_400_000).toISOString() }, w.operator);
    await eventually(async () => {
      const r = await stack.op('AddTicketNote', { ticketId: early.id, body: 'It is back.', setStatus: 'OPEN' }, w.CA.token);
      return r.data?.addTicketNote.ticket.status === 'OPEN';
    });
    await must(stack, 'AdvanceClock', { to: new Date(now.getTime() + 15 * 86_400_000).toISOString() }, w.operator);
    const r = await eventually(async () => {
      const x = await stack.op('AddTicketNote', { ticketId: late.id, body: 'It is back too.', setStatus: 'OPEN' }, w.CA.token);
      return x.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT' ? x : null;
    });
    expect(r.errors?.[0].message).toMatch(/more than 14 days ago/);
    expect((await stack.op('Ticket', { id: late.id }, w.CA.token)).data.ticket).toMatchObject({ status: 'CLOSED', notes: { totalCount: 1 } });
  });
});
