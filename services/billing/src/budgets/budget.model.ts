import { outboxField, type Envelope, docSchema, modelOn } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

/** A customer's monthly spending budget, set by its partner (id: the customer's). */
export interface SpendingBudgetDoc {
  _id: string;
  partnerId: string;
  amount: string;
  currency: string;
  thresholdsPercent: number[];
  setBy: string;
  setAt: Date;
}

/**
 * One threshold crossed in one month: the id `${budgetId}|${month}|${threshold}` is the claim
 * (unique index), so concurrent replicas and out-of-order usage raise it once. Insert-only;
 * its outbox carries the `budget.thresholdCrossed` event.
 */
export interface BudgetAlertDoc {
  _id: string;
  budgetId: string;
  partnerId: string;
  month: string;
  thresholdPercent: number;
  crossedAt: Date;
  spent: string;
  outbox: Envelope[];
}

const budgetSchema = docSchema<SpendingBudgetDoc>({ partnerId: String, amount: String, currency: String, thresholdsPercent: [Number], setBy: String, setAt: Date });
const alertSchema = docSchema<BudgetAlertDoc>({ budgetId: String, partnerId: String, month: String, thresholdPercent: Number, crossedAt: Date, spent: String, outbox: outboxField() });
alertSchema.index({ budgetId: 1, month: 1 });

export const spendingBudgetModel = (conn: Connection): Model<SpendingBudgetDoc> => modelOn<SpendingBudgetDoc>(conn, 'SpendingBudget', budgetSchema, 'spending_budgets');
export const budgetAlertModel = (conn: Connection): Model<BudgetAlertDoc> => modelOn<BudgetAlertDoc>(conn, 'BudgetAlert', alertSchema, 'budget_alerts');

export const alertId = (budgetId: string, month: string, threshold: number) => `${budgetId}|${month}|${threshold}`;
