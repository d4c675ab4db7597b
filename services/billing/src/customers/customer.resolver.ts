import { connectionFrom, Money, paginate, PageArgs, requireCaller, staffAllows, type ConnectionShape } from '@csp/kernel';
import { customerMonthSoFar, customerUnbilled } from '../rating/unbilled';
import { periodOf } from '../money/dates';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import type { InvoiceDoc } from '../invoices/invoice.model';
import { Invoice, InvoiceConnection, toInvoice } from '../invoices/invoice.type';
import { visibleInvoices } from '../invoices/visibility';
import { CustomerRef } from './customer.type';

@Resolver(() => CustomerRef)
export class CustomerInvoicesResolver {
  // From another subgraph than the entity's: nullable, so a slow or down service costs only these fields (SERVICE_UNAVAILABLE), not the whole object.
  @FieldResolver(() => InvoiceConnection, { nullable: true, description: "The customer's invoices from its partners that the caller issued or received." })
  async invoices(@Root() customer: CustomerRef, @Args() page: PageArgs, @Ctx() ctx: BillingContext): Promise<ConnectionShape<Invoice>> {
    const caller = requireCaller(ctx);
    // billing/read: staff without a billing role see no invoices (the staff-role table).
    if (!staffAllows(caller, 'invoices')) return connectionFrom<InvoiceDoc, Invoice>([], false, false, 0, (d) => d._id, toInvoice);
    return paginate(ctx.deps.models.invoices, { $and: [{ billToId: customer.id, kind: 'PARTNER_TO_CUSTOMER' }, visibleInvoices(caller)] }, page, toInvoice);
  }

  @FieldResolver(() => [Money], { nullable: true, description: "The customer's unbilled charges per currency, at the price the caller pays, over the subscriptions the caller may see." })
  async unbilledCharges(@Root() customer: CustomerRef, @Ctx() ctx: BillingContext): Promise<Money[]> {
    const caller = requireCaller(ctx);
    if (!staffAllows(caller, 'unbilledCharges')) return [];
    return customerUnbilled(ctx.deps, caller, customer.id);
  }

  @FieldResolver(() => [Money], { description: "This month so far (the platform clock's month): the customer's open charges per currency, at the price the caller pays." })
  async monthToDate(@Root() customer: CustomerRef, @Ctx() ctx: BillingContext): Promise<Money[]> {
    return customerMonthSoFar(ctx.deps, requireCaller(ctx), customer.id, periodOf(ctx.deps.clock.now()));
  }
}
