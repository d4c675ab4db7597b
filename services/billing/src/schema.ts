import { buildSubgraph } from '@csp/kernel';
import type { GraphQLSchema } from 'graphql';
import type { BillingContext } from './context';
import { CustomerInvoicesResolver } from './customers/customer.resolver';
import { CustomerRef } from './customers/customer.type';
import { InvoiceResolver, visibleInvoice } from './invoices/invoice.resolver';
import { toInvoice } from './invoices/invoice.type';
import { PricingResolver } from './pricing/pricing.resolver';
import { InvoiceRunResolver } from './runs/run.resolver';
import { CloudSubscriptionBillingResolver } from './subscriptions/cloud-subscription.resolver';
import { CloudSubscriptionRef } from './subscriptions/cloud-subscription.type';
import { PartnerBillingResolver } from './partners/partner.resolver';
import { PartnerRef } from './partners/partner.type';
import { UsageResolver } from './usage/usage.resolver';
import { FxResolver } from './fx/fx.resolver';
import { TaxResolver } from './tax/tax.resolver';
import { PaymentsResolver } from './payments/payments.resolver';
import { CreditNoteResolver } from './credit-notes/credit-note.resolver';
import { CustomerChargeResolver } from './charges/customer-charge.resolver';
import { SpendingBudgetResolver } from './budgets/budget.resolver';

/** The billing subgraph schema; pure (no stores), so composition can print it offline. */
export function buildBillingSchema(): Promise<GraphQLSchema> {
  return buildSubgraph(
    {
      resolvers: [InvoiceResolver, InvoiceRunResolver, UsageResolver, PricingResolver, CustomerInvoicesResolver, CloudSubscriptionBillingResolver, PartnerBillingResolver, FxResolver, TaxResolver, PaymentsResolver, CreditNoteResolver, CustomerChargeResolver, SpendingBudgetResolver],
      orphanedTypes: [CustomerRef, CloudSubscriptionRef, PartnerRef],
    },
    {
      Customer: { __resolveReference: (ref: { id: string }) => CustomerRef.of(ref.id) },
      Partner: { __resolveReference: (ref: { id: string }) => PartnerRef.of(ref.id) },
      CloudSubscription: { __resolveReference: (ref: { id: string }) => CloudSubscriptionRef.of(ref.id) },
      Invoice: { __resolveReference: async (ref: { id: string }, ctx: BillingContext) => toInvoice(await visibleInvoice(ctx, ref.id)) },
    },
  );
}

