import { Money, paginate, PageArgs, requireCaller, type ConnectionShape } from '@csp/kernel';
import { customerMonthSoFar, customerUnbilled } from '../subscriptions/unbilled';
import { periodOf } from '../money/dates';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { Invoice, InvoiceConnection, toInvoice } from '../invoices/invoice.type';
import { visibleInvoices } from '../invoices/visibility';
import { CustomerRef } from './customer.type';

@Resolver(() => CustomerRef)
export class CustomerInvoicesResolver {
  @FieldResolver(() => InvoiceConnection, { description: "The customer's invoices from its partners that the caller issued or received." })
  async invoices(@Root() customer: CustomerRef, @Args() page: PageArgs, @Ctx() ctx: BillingContext): Promise<ConnectionShape<Invoice>> {
    const caller = requireCaller(ctx);
    return paginate(ctx.deps.models.invoices, { $and: [{ billToId: customer.id, kind: 'PARTNER_TO_CUSTOMER' }, visibleInvoices(caller)] }, page, toInvoice);
  }

  @FieldResolver(() => [Money], { description: "The customer's unbilled charges per currency, at the price the caller pays, over the subscriptions the caller may see." })
  async unbilledCharges(@Root() customer: CustomerRef, @Ctx() ctx: BillingContext): Promise<Money[]> {
    return customerUnbilled(ctx.deps, requireCaller(ctx), customer.id);
  }

  @FieldResolver(() => [Money], { description: "This month so far (the platform clock's month): the customer's open charges per currency, at the price the caller pays." })
  async monthToDate(@Root() customer: CustomerRef, @Ctx() ctx: BillingContext): Promise<Money[]> {
    return customerMonthSoFar(ctx.deps, requireCaller(ctx), customer.id, periodOf(ctx.deps.clock.now()));
  }
}
