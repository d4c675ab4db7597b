/** Events the billing service publishes. */
export interface BillingEvents {
  /** An invoice was issued (it never changes afterwards): who issued it to whom. */
  'invoice.issued': {
    invoiceId: string;
    number: string;
    kind: 'VENDOR_TO_PARTNER' | 'DISTRIBUTOR_TO_RESELLER' | 'PARTNER_TO_CUSTOMER';
    period: string;
    /** A partner id, or `vendor` for the vendor's invoices. */
    issuerId: string;
    /** A partner or customer id. */
    billToId: string;
    at: string;
  };
}

/** Spending budgets (billing/src/budgets): raised once per budget, month and threshold. */
export interface BudgetEvents {
  /** Month-to-date spend of a customer (at its partner's price) reached a threshold of its budget. */
  'budget.thresholdCrossed': {
    /** The budget's id (the customer's: one budget per customer, renewed each month). */
    budgetId: string;
    customerId: string;
    /** The partner that set the budget (the customer's partner). */
    partnerId: string;
    month: string;
    thresholdPercent: number;
    budget: { amount: string; currency: string };
    spent: { amount: string; currency: string };
    at: string;
  };
}
