import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { connectionFrom, PageArgs, requireCaller, type ConnectionShape } from '@csp/kernel';
import type { BillingContext } from '../context';
import { Invoice, InvoiceConnection } from './invoice.type';

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => InvoiceConnection, { description: 'Invoices the caller issued or received.' })
  async invoices(@Args() _page: PageArgs, @Ctx() ctx: BillingContext): Promise<ConnectionShape<Invoice>> {
    requireCaller(ctx);
    return connectionFrom<Invoice, Invoice>([], false, false, 0, (i) => i.id, (i) => i);
  }
}
