import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** One invoice run per closed month (unique period): starting it twice returns the same run. */
export interface InvoiceRunDoc {
  _id: string;
  period: string;
  /** Usage received before this instant (platform time) and not billed earlier is billed by this run. */
  cutoff: Date;
  createdAt: Date;
  startedAt?: Date;
  /** Set once every bill-to job of the run is enqueued. */
  planned?: boolean;
  failedReason?: string;
}

/** One bill-to of a run; `done` when its invoices exist. */
export interface RunTaskDoc {
  _id: string; // `${runId}|${kind}|${issuer}|${billTo}`
  runId: string;
  kind: string;
  issuerId: string;
  billToId: string;
  done: boolean;
}

const runSchema = docSchema<InvoiceRunDoc>({
  period: required(String, { unique: true }),
  cutoff: required(Date),
  createdAt: required(Date),
  startedAt: Date,
  planned: Boolean,
  failedReason: String,
});

const taskSchema = docSchema<RunTaskDoc>({
  runId: required(String, { index: true }),
  kind: String,
  issuerId: String,
  billToId: String,
  done: { type: Boolean, default: false },
});

export const invoiceRunModel = (conn: Connection): Model<InvoiceRunDoc> => modelOn<InvoiceRunDoc>(conn, 'InvoiceRun', runSchema, 'invoice_runs');
export const runTaskModel = (conn: Connection): Model<RunTaskDoc> => modelOn<RunTaskDoc>(conn, 'RunTask', taskSchema, 'invoice_run_tasks');
