import { authorize, requireCaller, requirePartnerUser } from '@csp/kernel';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { Invoice, toInvoice } from '../invoices/invoice.type';
import { visibleInvoices } from '../invoices/visibility';
import { AddCustomerChargeInput, AddCustomerChargePayload, CustomerCharge, toCharge } from './customer-charge.type';

@Resolver(() => CustomerCharge)
export class CustomerChargeResolver {
  @Mutation(() => AddCustomerChargePayload, {
    description: "A partner's one-off charge on its customer, billed on the customer's next invoice from this partner. Idempotent per key; not the partner's customer: NOT_FOUND.",
  })
  async addCustomerCharge(@Arg('input') input: AddCustomerChargeInput, @Ctx() ctx: BillingContext): Promise<AddCustomerChargePayload> {
    authorize(ctx, 'addCustomerCharge');
    const caller = requirePartnerUser(ctx);
    const doc = await ctx.deps.customerCharges.add(caller, input);
    return Object.assign(new AddCustomerChargePayload(), { charge: toCharge(doc) });
  }

  @FieldResolver(() => Invoice, { nullable: true, description: 'The invoice that billed it; null until the next invoice run bills it.' })
  async billedOn(@Root() charge: CustomerCharge, @Ctx() ctx: BillingContext): Promise<Invoice | null> {
    const caller = requireCaller(ctx);
    const [doc] = await ctx.deps.customerCharges.billedOn([charge.doc]);
    if (!doc) return null;
    // Shown only to those who may read that invoice (its issuer, the customer, the operator).
    const visible = await ctx.deps.models.invoices.exists({ $and: [{ _id: doc._id }, visibleInvoices(caller)] });
    return visible ? toInvoice(doc) : null;
  }
}
