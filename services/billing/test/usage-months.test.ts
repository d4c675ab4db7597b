import { aggregateLocks, armCrashPoint, connectMongo, createRedis, CrashPointError, disarmCrashPoints, initModels, closeRedis, type Clock, type MongoStore } from '@csp/kernel';
import { isolatedEnv, PINNED_NOW } from '@csp/testkit';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { PriceBook } from '../src/catalog/price-book';
import type { RateCardDoc } from '../src/catalog/rate-card.model';
import { Dec } from '../src/money/decimal';
import { ChargeService } from '../src/rating/charge.service';
import { rateUsage, usageGroupKey, type RatableUsage } from '../src/rating/usage-rating';
import type { VendorCharge } from '../src/rating/charge-line';
import { billedWindow, priorWindow, runWindow, unbilledWindow, type RunCut } from '../src/runs/billing-window';
import { invoiceRunModel } from '../src/runs/invoice-run.model';
import { subFactModel, type SubFactDoc } from '../src/subscriptions/sub-fact.model';
import { subViews } from '../src/subscriptions/timeline';
import { ingestUsage, type IngestDeps } from '../src/usage/ingest';
import { usageMonthModel, usagePendingModel } from '../src/usage/usage-month.model';
import { UsageMonths } from '../src/usage/usage-months';
import { usageRecordModel } from '../src/usage/usage-record.model';

/**
 * Unbilled usage and each invoice run's usage read from the day totals equal rating the raw rows
 * of their windows (the reading before totals, kept here as the reference), whatever the
 * batches, repeats, two runs part-way (late rows after each), a run started while a batch was
 * folded without it (cutoff before the batch arrived), and folds that died at any step: random
 * cases against the real store, clock pinned.
 */
const env = isolatedEnv('usagemonths');
let store: MongoStore;
let redis: Redis;
let m: ReturnType<typeof modelsOf>;
let months: UsageMonths;
let charges: ChargeService;
let ingest: IngestDeps;
let now = Date.parse(PINNED_NOW);
const clock = { now: () => new Date(now), testClock: true } as Clock;

const modelsOf = (s: MongoStore) => ({
  usage: usageRecordModel(s.connection),
  usageMonths: usageMonthModel(s.connection),
  usagePending: usagePendingModel(s.connection),
  subFacts: subFactModel(s.connection),
  runs: invoiceRunModel(s.connection),
});

const card = (effectiveFrom: string, tiers: Array<[string, string]>): RateCardDoc => ({
  _id: `DE|${effectiveFrom}`,
  market: 'DE',
  currency: 'EUR',
  effectiveFrom,
  meters: [
    { id: 'm1', name: 'Compute', unit: 'h', rates: tiers.map(([fromQuantity, price]) => ({ fromQuantity, price })) },
    { id: 'm2', name: 'Storage', unit: 'GB', rates: [{ fromQuantity: '0', price: '0.02' }] },
  ],
});
// A new rate card from 8 November, with other tiers: a month holds two cards.
const book = new PriceBook([card('2026-09-01', [['0', '0.10'], ['100', '0.08'], ['250', '0.05']]), card('2026-11-08', [['0', '0.12'], ['50', '0.09']])]);
// A markup taking effect on 5 November starts new lines (dated prices).
const cutsOf = () => ['2026-11-05'];
const SUBS = ['s1', 's2'];
const fact = (id: string): SubFactDoc => ({ _id: `f-${id}`, subscriptionId: id, type: 'activated', at: new Date('2026-09-01T00:00:00.000Z'), customerId: 'c', partnerId: 'p', offerId: 'o', billingType: 'USAGE', quantity: 1, market: 'DE' });

beforeAll(async () => {
  store = await connectMongo(env.MONGO_URL!, `${env.DB_PREFIX}_billing`);
  redis = createRedis(env.REDIS_URL!, 'producer');
  m = modelsOf(store);
  await initModels(m);
  await m.subFacts.insertMany(SUBS.map(fact));
  months = new UsageMonths(m, aggregateLocks(redis, env.REDIS_PREFIX!));
  charges = new ChargeService(m, clock, months);
  ingest = { clock, usage: m.usage, subFacts: m.subFacts, loadPriceBook: async () => book, usageMonths: months };
}, 30_000);

afterAll(async () => {
  await store?.connection.dropDatabase();
  await store?.close();
  if (redis) await closeRedis(redis);
});

beforeEach(async () => {
  disarmCrashPoints();
  await m.usage.deleteMany({});
  await m.usageMonths.deleteMany({});
  await m.usagePending.deleteMany({});
  await m.runs.deleteMany({});
});

/** The reference: every unbilled raw row rated, after the quantity billed of its month. */
async function fromRows(subs: ReturnType<typeof subViews>, onTake: (r: RatableUsage, key: string, q: Dec) => void): Promise<VendorCharge[]> {
  const runs = await m.runs.find({}, { period: 1, cutoff: 1 }).lean<RunCut[]>();
  const rows = await m.usage.find(unbilledWindow(runs)).lean<RatableUsage[]>();
  const billed = billedWindow(runs);
  const prior = new Map<string, Dec>();
  for (const r of billed ? await m.usage.find(billed).lean<RatableUsage[]>() : []) {
    const k = usageGroupKey(r.subscriptionId, r.meterId, r.month);
    prior.set(k, (prior.get(k) ?? new Dec(0)).plus(r.quantity));
  }
  return rateUsage(rows, subs, book, prior, cutsOf, onTake);
}

/** The reference of a run: its window's raw rows rated after the quantity billed before them. */
async function runFromRows(subs: ReturnType<typeof subViews>, run: RunCut): Promise<VendorCharge[]> {
  const runs = await m.runs.find({}, { period: 1, cutoff: 1 }).lean<RunCut[]>();
  const rows = await m.usage.find(runWindow(runs, run)).lean<RatableUsage[]>();
  const billed = priorWindow(runs, run);
  const prior = new Map<string, Dec>();
  for (const r of billed ? await m.usage.find(billed).lean<RatableUsage[]>() : []) {
    const k = usageGroupKey(r.subscriptionId, r.meterId, r.month);
    prior.set(k, (prior.get(k) ?? new Dec(0)).plus(r.quantity));
  }
  return rateUsage(rows, subs, book, prior, cutsOf);
}

/** Lines and per-day takes, comparable. */
const shape = (lines: VendorCharge[], takes: Map<string, Dec>) => ({
  lines: lines.filter((l) => l.chargeType === 'USAGE').map((l) => [l.lineKey, l.quantity.toFixed(), l.unitPrice.toFixed(), l.usageFrom, l.usageTo, l.description].join(' ')).sort(),
  takes: [...takes].filter(([, q]) => !q.isZero()).map(([k, q]) => `${k} ${q.toFixed()}`).sort(),
});

async function expectSame(): Promise<void> {
  const subs = subViews(await m.subFacts.find().lean<SubFactDoc[]>());
  const take = (into: Map<string, Dec>) => (r: RatableUsage, key: string, q: Dec) => into.set(`${key}@${r.usageDate}`, (into.get(`${key}@${r.usageDate}`) ?? new Dec(0)).plus(q));
  const refTakes = new Map<string, Dec>();
  const ref = shape(await fromRows(subs, take(refTakes)), refTakes);
  const gotTakes = new Map<string, Dec>();
  const got = await charges.unbilled(subs, book, cutsOf, take(gotTakes));
  expect(got.unpriced.size).toBe(0);
  expect(shape(got.charges, gotTakes)).toEqual(ref);
  // Every run's usage, as its bill jobs (or their retries) read it now.
  for (const run of await m.runs.find({}, { period: 1, cutoff: 1 }).lean<RunCut[]>()) {
    expect(shape(await charges.forRun(run, subs, book, cutsOf), new Map())).toEqual(shape(await runFromRows(subs, run), new Map()));
  }
}

const quantity = fc.oneof(
  fc.integer({ min: 0, max: 120 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 80 }), fc.bigInt({ min: 0n, max: 10n ** 18n - 1n })).map(([i, f]) => `${i}.${f.toString().padStart(18, '0')}`),
);
const day = fc.oneof(fc.integer({ min: 25, max: 30 }).map((d) => `2026-09-${d}`), fc.integer({ min: 1, max: 31 }).map((d) => `2026-10-${String(d).padStart(2, '0')}`), fc.integer({ min: 1, max: 16 }).map((d) => `2026-11-${String(d).padStart(2, '0')}`));
const row = fc.record({ id: fc.integer({ min: 0, max: 60 }), sub: fc.constantFrom(...SUBS), meter: fc.constantFrom('m1', 'm2'), quantity, day });
const batch = fc.record({
  rows: fc.array(row, { minLength: 1, maxLength: 12 }),
  // Where this batch's process dies, if it does.
  dies: fc.constantFrom('no', 'no', 'usage.inserted', 'usage.folded'),
  sweepAfter: fc.boolean(),
  checkAfter: fc.boolean(),
});

it('unbilled usage from day totals equals rating the raw rows', async () => {
  // Settle times below 0 put a run's cutoff before batches folded without it (the race of a
  // run starting while a batch is folded): readers then rate that group's rows.
  const run = fc.record({ at: fc.integer({ min: -1, max: 7 }), settleMs: fc.integer({ min: -2500, max: 3000 }) });
  await fc.assert(
    fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 6 }), run, run, async (batches, september, october) => {
      await m.usage.deleteMany({});
      await m.usageMonths.deleteMany({});
      await m.usagePending.deleteMany({});
      await m.runs.deleteMany({});
      now = Date.parse(PINNED_NOW);
      for (const [i, b] of batches.entries()) {
        now += 1000;
        if (b.dies !== 'no') armCrashPoint(b.dies);
        try {
          await ingestUsage(ingest, b.rows.map((r) => ({ recordId: `r${r.id}`, subscriptionId: r.sub, meterId: r.meter, quantity: r.quantity, usageDate: r.day })));
        } catch (err) {
          if (!(err instanceof CrashPointError)) throw err;
        }
        disarmCrashPoints();
        if (b.sweepAfter) await months.sweep(new Date(now + 1));
        // September's and October's runs part-way: later rows of their months are late, billed by the next run.
        if (i === september.at) await m.runs.create({ _id: 'run-2026-09', period: '2026-09', cutoff: new Date(now + september.settleMs), createdAt: new Date(now) });
        if (i === october.at) await m.runs.create({ _id: 'run-2026-10', period: '2026-10', cutoff: new Date(now + october.settleMs), createdAt: new Date(now) });
        if (b.checkAfter) await expectSame();
      }
      await expectSame();
      await months.sweep(new Date(now + 1));
      expect(await m.usagePending.countDocuments()).toBe(0);
      await expectSame();
    }),
    { numRuns: Number(process.env.USAGE_MONTHS_RUNS ?? 12), seed: 20261116 },
  );
}, 600_000);

it('reading a subscription sends the same store commands with 10 or 2,000 rows in its month', async () => {
  const commands = async () => {
    const before = store.commandCount();
    await charges.unbilled(subViews([fact('s1')]), book, cutsOf);
    return store.commandCount() - before;
  };
  const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ recordId: `c${from + i}`, subscriptionId: 's1', meterId: 'm1', quantity: '0.5', usageDate: `2026-11-${String((i % 16) + 1).padStart(2, '0')}` }));
  await ingestUsage(ingest, rows(0, 10));
  const few = await commands();
  await ingestUsage(ingest, rows(10, 1990));
  expect(await commands()).toBe(few);
  const lines = (await charges.unbilled(subViews([fact('s1')]), book, cutsOf)).charges;
  expect(lines.reduce((s, l) => s.plus(l.quantity), new Dec(0)).toFixed()).toBe('1000');
}, 60_000);

it("an invoice run's usage costs the same store commands with 10 or 2,000 rows in its month, late rows included", async () => {
  const run: RunCut = { period: '2026-10', cutoff: new Date(now + 500) };
  const commands = async () => {
    const before = store.commandCount();
    await charges.forRun(run, subViews([fact('s1')]), book, cutsOf);
    return store.commandCount() - before;
  };
  const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ recordId: `d${from + i}`, subscriptionId: 's1', meterId: 'm1', quantity: '0.5', usageDate: `2026-10-${String((i % 28) + 1).padStart(2, '0')}` }));
  await ingestUsage(ingest, rows(0, 10));
  const few = await commands();
  await ingestUsage(ingest, rows(10, 1990));
  expect(await commands()).toBe(few);
  await m.runs.create({ _id: 'run-2026-10', ...run, createdAt: new Date(now) });
  // Late October rows: the next run's, from their own totals.
  now += 1000;
  await ingestUsage(ingest, rows(2000, 500));
  expect(await m.usageMonths.countDocuments({ subscriptionId: 's1', month: '2026-10' })).toBe(2);
  const billed = await charges.forRun(run, subViews([fact('s1')]), book, cutsOf);
  expect(billed.reduce((s, l) => s.plus(l.quantity), new Dec(0)).toFixed()).toBe('1000');
  const late = (await charges.unbilled(subViews([fact('s1')]), book, cutsOf)).charges.filter((c) => c.usageFrom.startsWith('2026-10'));
  expect(late.reduce((s, l) => s.plus(l.quantity), new Dec(0)).toFixed()).toBe('250');
}, 60_000);
