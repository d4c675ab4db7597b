import { badInput, billingPeriod, currentRequestId, currentTraceparent, isDuplicateKey, newId, type Clock } from '@csp/kernel';
import type { Queue } from 'bullmq';
import type { Model } from 'mongoose';
import { periodOf } from '../money/dates';
import type { InvoiceDoc } from '../invoices/invoice.model';
import { runJobId, type RunJob } from './queues';
import type { InvoiceRunDoc, RunTaskDoc } from './invoice-run.model';

export type RunStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';

export interface RunProgress {
  status: RunStatus;
  /** Percent of the run's bill-to jobs done. */
  progress: number;
  invoicesCreated: number;
  failedReason?: string;
}

/** Starting runs (operator or the month-end trigger) and reading their progress. */
export class RunService {
  constructor(
    private readonly m: { runs: Model<InvoiceRunDoc>; tasks: Model<RunTaskDoc>; invoices: Model<InvoiceDoc> },
    private readonly queue: Queue,
    private readonly clock: Clock,
    private readonly settleMs = 0,
  ) {}

  /**
   * The run of a closed month, created once (unique period) and enqueued under a job id that
   * names the month; calling it again (a second start, a second worker seeing the same month
   * end, a retry after a crash between the two writes) returns the same run.
   */
  async ensureRun(period: string): Promise<InvoiceRunDoc> {
    billingPeriod(period);
    const now = this.clock.now();
    if (period >= periodOf(now)) throw badInput(`period ${period} is not closed yet (it is ${periodOf(now)} now)`, 'period');
    let run: InvoiceRunDoc;
    try {
      const cutoff = new Date(now.getTime() + this.settleMs);
      run = (await this.m.runs.create({ _id: newId('run'), period, cutoff, createdAt: now })).toObject();
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      run = (await this.m.runs.findOne({ period }).lean<InvoiceRunDoc>())!;
    }
    const job: RunJob = { runId: run._id, period, requestId: currentRequestId(), traceparent: currentTraceparent() };
    await this.queue.add('run', job, { jobId: runJobId(period) });
    return run;
  }

  async progress(run: InvoiceRunDoc): Promise<RunProgress> {
    const [total, done, invoicesCreated] = await Promise.all([
      this.m.tasks.countDocuments({ runId: run._id }),
      this.m.tasks.countDocuments({ runId: run._id, done: true }),
      this.m.invoices.countDocuments({ runId: run._id }),
    ]);
    const progress = run.planned ? (total ? Math.floor((done * 100) / total) : 100) : 0;
    // A job that failed for good and was retried by hand to success completes the run after all.
    const status: RunStatus =
      run.planned && done === total
        ? 'COMPLETED'
        : run.failedReason
          ? 'FAILED'
          : run.startedAt
          ? 'RUNNING'
          : 'QUEUED';
    return { status, progress, invoicesCreated, failedReason: run.failedReason };
  }
}
