/** The vendor as a billing party: issuer of VENDOR_TO_PARTNER invoices (the operator acts for it). */
export const VENDOR_ID = 'vendor';
