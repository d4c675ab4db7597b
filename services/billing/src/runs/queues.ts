/** The invoicing queue: `run` jobs plan a month, `bill` jobs issue one bill-to's invoices, `budget` jobs check a spending budget. */
export const INVOICING_QUEUE = 'billing-invoicing';

export interface RunJob {
  runId: string;
  period: string;
  /** The request (or trigger) that started the run: its logs and its jobs' logs share it. */
  requestId?: string;
  /** W3C trace context of what started it: each job's span continues that trace. */
  traceparent?: string;
}

export interface BillJob extends RunJob {
  kind: 'VENDOR_TO_PARTNER' | 'DISTRIBUTOR_TO_RESELLER' | 'PARTNER_TO_CUSTOMER';
  issuerId: string;
  billToId: string;
}

/** Deterministic job ids: a second enqueue of the same work is ignored by BullMQ. */
export const runJobId = (period: string) => `run-${period}`;
export const billJobId = (j: BillJob) => `bill-${j.period}-${j.kind}-${j.issuerId}-${j.billToId}`.replace(/:/g, '_');
export const taskId = (j: BillJob) => `${j.runId}|${j.kind}|${j.issuerId}|${j.billToId}`;

/** Compare a customer's month-to-date spend with its budget (after its usage arrived). */
export interface BudgetJob {
  customerId: string;
  requestId?: string;
  traceparent?: string;
}
