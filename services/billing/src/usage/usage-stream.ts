import type { UsageRecordFact } from '@csp/events';
import { AppError, requireStaff, unauthenticated, USAGE_STREAM_PATH, type Logger, type TokenVerifier } from '@csp/kernel';
import type { Express, Response } from 'express';
import { MAX_BATCH, usageWriterOf, type PreparedUsage, type SettleLater, type UsageBatches, type UsageWriter } from './ingest';
import { LineSplitter } from './line-splitter';
import { csvRows, ndjsonRows, type RowFormat } from './stream-rows';

/** A row is ~150 bytes; a line longer than this is a rejected row (its text is never held whole). */
export const MAX_LINE_BYTES = 8 * 1024;

/**
 * Bulk usage ingestion behind the gateway's POST /usage/records (only the gateway reaches
 * /internal: the kernel checks its proof, and the token is verified here again). The body is
 * read as it arrives, one line a row, and stored in batches (BILLING_USAGE_STREAM_BATCH) through the same
 * ingestUsage as recordUsage: while a batch is stored the next is read, and no more of the body
 * once that one is full too (backpressure reaches the client through TCP), so memory holds two
 * batches whatever the stream's length.
 *
 * The answer is NDJSON, written as batches are stored: a line per rejected row
 * `{"line","recordId","reason"}`, a line per stored batch `{"stored":{"throughLine",…}}`, and last
 * `{"done":{…totals}}` — or `{"error":{…}}` if the store failed mid-stream (rows through the last
 * "stored" line are in; sending the stream again counts them as duplicates). A refusal before
 * anything is stored is an HTTP status with a JSON error instead.
 */
export function mountUsageStream(app: Express, opts: { verify: TokenVerifier; batches: UsageBatches; logger: Logger; batchRows?: number }): void {
  const { verify, batches, logger } = opts;
  const batchRows = Math.min(opts.batchRows ?? MAX_BATCH, MAX_BATCH);
  app.post(USAGE_STREAM_PATH, async (req, res) => {
    let writer: UsageWriter;
    try {
      const caller = await verify(req.header('authorization'));
      if (!caller) throw unauthenticated();
      writer = usageWriterOf(requireStaff(caller, 'recordUsage'));
    } catch (err) {
      return refuse(res, err);
    }
    const format = formatOf(req.header('content-type'));
    if (!format) {
      return refuse(res, new AppError('BAD_REQUEST', 'Send usage rows as application/x-ndjson (one JSON object a line) or text/csv (header recordId,subscriptionId,meterId,quantity,usageDate).'), 415);
    }
    const out = new NdjsonOut(res);
    const totals = { lines: 0, rows: 0, accepted: 0, duplicates: 0, rejected: 0 };
    const splitter = new LineSplitter(MAX_LINE_BYTES);
    let filling = newBatch();

    const reject = (b: Batch, line: number, reason: string, recordId?: string) => {
      totals.rejected++;
      b.rejections.push(JSON.stringify({ line, ...(recordId !== undefined ? { recordId } : {}), reason }));
    };
    // One batch stored at a time (two at once contend for the same groups' locks: measured half the
    // rows/s), but a batch's fold into the totals runs while the next batch is read and inserted
    // (the last one's after the answer); folds stay one after another. Its rows count from their
    // insert on, so "stored" holds.
    let folds: Promise<void> = Promise.resolve();
    const later: SettleLater = (settle) => void (folds = folds.then(settle).catch((err) => logger.warn({ err }, 'usage fold deferred to the sweep')));
    const store = async (b: Batch, prepared: Promise<PreparedUsage> | undefined, throughLine: number) => {
      if (prepared) {
        // At most one fold waits behind the one running: memory stays at a couple of batches.
        const previous = folds;
        const r = await batches.store(await prepared, later);
        await previous;
        for (const x of r.rejected) reject(b, b.lineOf[x.index], x.reason, b.rows[x.index].recordId);
        totals.accepted += r.accepted;
        totals.duplicates += r.duplicates;
        b.rejections.push(JSON.stringify({ stored: { throughLine, rows: b.rows.length, accepted: r.accepted, duplicates: r.duplicates } }));
      }
      // Rejections in line order within a batch: the format's (shape) and ingestion's (meaning) interleave.
      if (b.rejections.length) await out.write(b.rejections.sort(byLine).join('\n') + '\n');
    };
    // The batch being stored while the next one is read, parsed and checked (its subscriptions'
    // facts read): the store's round trips are this process's idle time. Reading stops when that
    // next one is full and checked too, so memory holds two.
    let storing: Promise<void> = Promise.resolve();
    const storeNext = async (throughLine: number) => {
      const b = filling;
      filling = newBatch();
      const prepared = b.rows.length ? batches.prepare(b.rows, writer) : undefined;
      const previous = storing;
      storing = previous.then(() => store(b, prepared, throughLine));
      // Handled where they are awaited (next batch or the end); not unhandled rejections meanwhile.
      prepared?.catch(() => undefined);
      storing.catch(() => undefined);
      await previous;
    };
    const take = (line: { number: number; text?: string }) => {
      totals.lines = line.number;
      if (line.text === undefined) {
        totals.rows++;
        return reject(filling, line.number, `line longer than ${MAX_LINE_BYTES} bytes`);
      }
      if (!line.text.trim()) return;
      const parsed = format.parse(line.text);
      if (!parsed) return;
      totals.rows++;
      if (parsed.reason !== undefined) return reject(filling, line.number, parsed.reason, parsed.recordId);
      filling.rows.push(parsed.row);
      filling.lineOf.push(line.number);
    };

    const fail = async (err: unknown) => {
      if (!(err instanceof AppError)) logger.error({ err, totals }, 'usage stream failed');
      if (!out.started) return refuse(res, err);
      const message = err instanceof AppError ? err.message : 'The usage store failed mid-stream; rows through the last "stored" line are in, send the rest again (repeats count as duplicates).';
      await out.end(JSON.stringify({ error: { code: err instanceof AppError ? err.extensions.code : 'SERVICE_UNAVAILABLE', message }, done: totals }) + '\n').catch(() => undefined);
    };
    // A failure of ours (a bad CSV header, the store) is answered at once and the rest of the body
    // read and dropped: leaving the loop would destroy the request, and with it the answer's socket.
    let failed = false;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        if (failed) continue;
        try {
          for (const line of splitter.push(chunk)) {
            take(line);
            // Rejections count towards a batch: their answer lines are held too.
            if (filling.rows.length + filling.rejections.length >= batchRows) await storeNext(line.number);
          }
        } catch (err) {
          failed = true;
          await fail(err);
        }
      }
    } catch {
      return void logger.warn({ totals }, 'usage stream aborted by the client');
    }
    if (failed) return;
    try {
      for (const line of splitter.end()) take(line);
      await storeNext(totals.lines);
      await storing;
      // The last batch's fold finishes after the answer, as the others did while later batches
      // were stored: its rows are read as rows until then, so the client's next read counts them.
      await out.end(JSON.stringify({ done: totals }) + '\n');
    } catch (err) {
      await fail(err);
    }
  });
}

/** Rows read and not yet stored, with their line numbers and the answer lines they hold. */
interface Batch {
  rows: UsageRecordFact[];
  lineOf: number[];
  rejections: string[];
}
const newBatch = (): Batch => ({ rows: [], lineOf: [], rejections: [] });

const byLine = (a: string, b: string) => lineNo(a) - lineNo(b);
/** Rejection lines start `{"line":N`; a batch's "stored" line sorts after them. */
const lineNo = (s: string) => (s.startsWith('{"line":') ? parseInt(s.slice(8), 10) : Number.MAX_SAFE_INTEGER);

function formatOf(contentType: string | undefined): RowFormat | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return csvRows();
  if (['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json-seq'].includes(type) || type === '') return ndjsonRows();
  return undefined;
}

function refuse(res: Response, err: unknown, status?: number): void {
  const code = err instanceof AppError ? String(err.extensions.code) : 'SERVICE_UNAVAILABLE';
  const message = err instanceof AppError ? err.message : 'Usage could not be stored right now; nothing after the last stored batch was kept. Try again.';
  const http = status ?? ({ UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400 } as Record<string, number>)[code] ?? 503;
  res.status(http).json({ errors: [{ message, extensions: { code } }] });
}

/** The NDJSON answer: headers go with the first write (so an early failure is still a status). */
class NdjsonOut {
  started = false;
  constructor(private readonly res: Response) {}

  private begin() {
    if (this.started) return;
    this.started = true;
    this.res.status(200).setHeader('content-type', 'application/x-ndjson; charset=utf-8');
  }

  /** Waits while the client is not reading the answer (backpressure both ways). */
  write(text: string): Promise<void> {
    this.begin();
    if (this.res.write(text)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.res.once('drain', resolve);
      this.res.once('close', () => reject(new Error('client went away')));
    });
  }

  end(text: string): Promise<void> {
    this.begin();
    return new Promise((resolve) => this.res.end(text, () => resolve()));
  }
}
