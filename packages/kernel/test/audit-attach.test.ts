import mongoose, { Schema, type Model } from 'mongoose';
import { AUDIT_EVENT, auditAttachPlugin, auditTarget, envelope, inAuditScope, outboxFlagPlugin, outboxSchema, systemClock, type AuditScope, type Envelope } from '@csp/kernel';
import { isolatedEnv } from '@csp/testkit';

/**
 * Which write carries a mutation's audit record: the first one of its field that adds outbox
 * entries, in the same single-document write; a write that wrote nothing carries nothing.
 */
interface Thing {
  _id: string;
  customerId?: string;
  outbox: Envelope[];
}

const env = isolatedEnv('audit-attach');
let conn: mongoose.Connection;
let Things: Model<Thing>;

beforeAll(async () => {
  conn = await mongoose.createConnection(env.MONGO_URL!, { dbName: `${env.DB_PREFIX}_audit_attach`, retryWrites: false }).asPromise();
  conn.plugin(outboxFlagPlugin); // as connectMongo does for every service
  conn.plugin(auditAttachPlugin);
  Things = conn.model<Thing>('Thing', new Schema<Thing>({ _id: String, customerId: String, outbox: [outboxSchema] }), 'things');
});
afterAll(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

let n = 0;
const clock = systemClock();
function scope(): AuditScope {
  return {
    id: `aud_test${++n}`,
    service: 'test',
    field: 'doThing',
    caller: { userId: 'usr_1', kind: 'PARTNER_USER', partnerId: 'ptn_1', groupIds: [], scopes: [], roles: ['ADMIN'] },
    args: { input: { name: 'x' } },
    clock,
    attached: false,
    closed: false,
  };
}
const run = <T>(s: AuditScope, fn: () => Promise<T>) => inAuditScope({}, 'doThing', s, fn);
const ev = () => envelope('thing.changed', {}, clock);
const auditsOf = async (id: string) => ((await Things.findById(id).lean())?.outbox ?? []).filter((e) => e.type === AUDIT_EVENT);

it('a new document with events carries the record; the target and customer are the document’s', async () => {
  const s = scope();
  await run(s, async () => {
    await Things.create({ _id: 'quiet', outbox: [] }); // no events: carries nothing
    await Things.create({ _id: 'thing1', customerId: 'cus_1', outbox: [ev()] });
    await Things.create({ _id: 'thing2', outbox: [ev()] }); // already carried
  });
  expect(s.attached).toBe(true);
  expect(await auditsOf('quiet')).toEqual([]);
  expect(await auditsOf('thing2')).toEqual([]);
  const [record] = await auditsOf('thing1');
  expect(record).toMatchObject({ id: s.id, payload: { _id: s.id, action: 'test.doThing', targetId: 'thing1', customerId: 'cus_1', outcome: 'DONE', actorPartnerId: 'ptn_1' } });
});

it('updateOne with $push (and $each) carries it; one whose filter matched nothing does not count', async () => {
  await Things.create({ _id: 'thing3', outbox: [] });
  const s = scope();
  await run(s, async () => {
    await Things.updateOne({ _id: 'missing' }, { $push: { outbox: ev() } });
    expect(s.attached).toBe(false);
    await Things.updateOne({ _id: 'thing3' }, { $push: { outbox: { $each: [ev(), ev()] } } });
  });
  expect(s.attached).toBe(true);
  const doc = (await Things.findById('thing3').lean())!;
  expect(doc.outbox.map((e) => e.type)).toEqual(['thing.changed', 'thing.changed', AUDIT_EVENT]);
  expect(doc.outbox[2].id).toBe(s.id);
});

it('insertMany: the first document with events carries it, once', async () => {
  const s = scope();
  await run(s, () => Things.insertMany([{ _id: 'many1', outbox: [] }, { _id: 'many2', outbox: [ev()] }, { _id: 'many3', outbox: [ev()] }]));
  expect(s.attached).toBe(true);
  expect((await auditsOf('many2')).map((e) => e.id)).toEqual([s.id]);
  expect([...(await auditsOf('many1')), ...(await auditsOf('many3'))]).toEqual([]);
});

it('no scope, a closed scope or updateMany: writes carry nothing', async () => {
  await Things.create({ _id: 'plain', outbox: [ev()] });
  expect(await auditsOf('plain')).toEqual([]);
  const s = scope();
  await run(s, async () => {
    await Things.updateMany({ _id: { $in: ['plain', 'thing3'] } }, { $push: { outbox: ev() } });
  });
  await Things.create({ _id: 'after', outbox: [ev()] }); // outside: the field has resolved
  expect(s.attached).toBe(false);
  expect([...(await auditsOf('plain')), ...(await auditsOf('after'))]).toEqual([]);
});

it('once the service names the target, only the target’s own write carries it', async () => {
  const s = scope();
  await run(s, async () => {
    auditTarget('tenant1', 'cus_9');
    await Things.create({ _id: 'part1', outbox: [ev()] }); // a part of the creation, written first
    expect(s.attached).toBe(false);
    await Things.create({ _id: 'tenant1', outbox: [ev()] });
  });
  expect(s.attached).toBe(true);
  expect(await auditsOf('part1')).toEqual([]);
  expect((await auditsOf('tenant1'))[0]).toMatchObject({ id: s.id, payload: { targetId: 'tenant1', customerId: 'cus_9' } });
});
