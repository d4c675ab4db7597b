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
