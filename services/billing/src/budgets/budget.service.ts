import { sellsTo } from '../directory/sells-to';
import { event } from '@csp/events';
import { badInput, isDuplicateKey, notFound, type Caller } from '@csp/kernel';
import type { BillingDeps } from '../deps';
import { periodOf } from '../money/dates';
import { Dec, formatMoney, isIsoCurrency } from '../money/decimal';
import { customerMonthToDate } from '../rating/unbilled';
import { alertId, type BudgetAlertDoc, type SpendingBudgetDoc } from './budget.model';

export const DEFAULT_THRESHOLDS = [50, 90, 100];

/** The customer's budget as the caller may see it: its partner, the operator, the customer's admins. */
export async function visibleBudget(deps: BillingDeps, caller: Caller, customerId: string): Promise<SpendingBudgetDoc | null> {
  const b = await deps.models.budgets.findById(customerId).lean<SpendingBudgetDoc>();
  if (!b) return null;
  if (caller.kind === 'OPERATOR') return b;
  if (caller.kind === 'PARTNER_USER' && caller.partnerId === b.partnerId) return b;
  if (caller.kind === 'CUSTOMER_USER' && caller.customerId === customerId && caller.roles.some((r) => r === 'ADMIN' || r === 'BILLING_ADMIN')) return b;
  return null;
}

/** Sets (or replaces) a customer's monthly budget: only the customer's own partner may. */
export async function setBudget(deps: BillingDeps, caller: Caller, customerId: string, amount: { amount: string; currency: string }, thresholds?: number[] | null): Promise<SpendingBudgetDoc> {
  // Another partner's customer (or one whose relationship was revoked) answers as unknown (no existence oracle).
  const { customer, sells } = caller.kind === 'PARTNER_USER' && caller.partnerId ? await sellsTo(deps.models, caller.partnerId, customerId) : { customer: null, sells: false };
  if (!customer || !sells || caller.partnerId !== customer.partnerId) throw notFound('Customer', customerId);
  if (!isIsoCurrency(amount.currency)) throw badInput(`currency ${JSON.stringify(amount.currency)} is not an ISO 4217 currency code`, 'amount');
  if (new Dec(amount.amount).lte(0)) throw badInput(`A budget must be more than zero; ${amount.amount} is not.`, 'amount');
  const list = [...new Set(thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b);
  if (!list.length || list.some((t) => !Number.isInteger(t) || t < 1 || t > 1000))
    throw badInput('thresholdsPercent are whole percentages from 1 to 1000, at least one.', 'thresholdsPercent');
  const doc: SpendingBudgetDoc = {
    _id: customerId,
    partnerId: customer.partnerId,
    amount: formatMoney(new Dec(amount.amount), amount.currency),
    currency: amount.currency,
    thresholdsPercent: list,
    setBy: caller.userId,
    setAt: deps.clock.now(),
  };
  await deps.models.budgets.replaceOne({ _id: customerId }, doc, { upsert: true });
  // Setting a budget already exceeded alerts at once (through the worker, as for usage).
  await requestBudgetCheck(deps, [customerId]);
  return doc;
}

/** Month-to-date spend in the budget's currency, at the partner's price. */
export async function spentOf(deps: BillingDeps, b: SpendingBudgetDoc, month = periodOf(deps.clock.now())): Promise<string> {
  const totals = await customerMonthToDate(deps, b._id, b.partnerId, month);
  return totals.find((m) => m.currency === b.currency)?.amount ?? formatMoney(new Dec(0), b.currency);
}

/**
 * Asks the billing worker to compare these customers' spend with their budgets (after usage
 * arrived). Queued for every customer, budget or not: the worker looks, so ingestion spends no
 * store round trip on it.
 */
export async function requestBudgetCheck(deps: BillingDeps, customerIds: string[]): Promise<void> {
  if (customerIds.length) await deps.queue.addBulk(customerIds.map((customerId) => ({ name: 'budget', data: { customerId } })));
}

/**
 * Raises each threshold the month-to-date spend has reached and no alert claims yet. The claim
 * is the alert's insert (its id is budget|month|threshold): replicas checking at once, or a
 * check that saw less usage than a later one, can only insert it once. Returns how many it raised.
 */
export async function checkBudget(deps: BillingDeps, customerId: string): Promise<number> {
  const b = await deps.models.budgets.findById(customerId).lean<SpendingBudgetDoc>();
  if (!b) return 0;
  const now = deps.clock.now();
  const month = periodOf(now);
  const spent = await spentOf(deps, b, month);
  let raised = 0;
  for (const t of b.thresholdsPercent) {
    if (new Dec(spent).lt(new Dec(b.amount).times(t).div(100))) continue;
    const id = alertId(b._id, month, t);
    const ev = event(
      'budget.thresholdCrossed',
      { budgetId: b._id, customerId, partnerId: b.partnerId, month, thresholdPercent: t, budget: { amount: b.amount, currency: b.currency }, spent: { amount: spent, currency: b.currency }, at: now.toISOString() },
      deps.clock,
      `budget-crossed-${id}`,
    );
    const alert: BudgetAlertDoc = { _id: id, budgetId: b._id, partnerId: b.partnerId, month, thresholdPercent: t, crossedAt: now, spent, outbox: [ev] };
    try {
      await deps.models.budgetAlerts.create(alert);
      raised++;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return raised;
}
