import { Connection, DecimalScalar, Money, graphqlEnum, type EnumValue, payload } from '@csp/kernel';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { CloudSubscriptionRef } from '../subscriptions/cloud-subscription.type';
import { CustomerRef } from '../customers/customer.type';
import type { InvoiceDoc, LineItemDoc, TaxLineDoc } from './invoice.model';
import { TaxLine } from '../tax/tax.type';
import { FxConversion } from '../fx/fx.type';

export const toTaxLine = (t: TaxLineDoc, currency: string) =>
  Object.assign(new TaxLine(), { description: t.description, ratePercent: t.ratePercent, base: Money.of(t.base, currency), amount: Money.of(t.amount, currency) });

export const InvoiceKindEnum = graphqlEnum('InvoiceKind', ['VENDOR_TO_PARTNER', 'DISTRIBUTOR_TO_RESELLER', 'PARTNER_TO_CUSTOMER'], {
  description: 'Who bills whom.',
});
export type InvoiceKindEnum = EnumValue<typeof InvoiceKindEnum>;

export const InvoiceStatusEnum = graphqlEnum('InvoiceStatus', ['ISSUED', 'PAID', 'OVERDUE', 'CREDITED'], {
  description: 'ISSUED: owed, not yet due. PAID: nothing owed. OVERDUE: owed after the due date (platform clock). CREDITED: credit notes cover the total.',
});

export const ChargeTypeEnum = graphqlEnum('ChargeType', ['USAGE', 'LICENSE', 'PARTNER_MONTHLY', 'PARTNER_ONE_TIME', 'CUSTOMER_CHARGE'], {
  description: "USAGE, LICENSE: the vendor's services. PARTNER_MONTHLY, PARTNER_ONE_TIME: the issuing partner's own offers. CUSTOMER_CHARGE: a one-off charge of the issuing partner.",
});
export type ChargeTypeEnum = EnumValue<typeof ChargeTypeEnum>;

@ObjectType({ description: 'Who issues or receives an invoice: the vendor ("vendor"), a partner or a customer.' })
export class BillingParty {
  @Field(() => ID) id!: string;
  @Field() name!: string;
}

@ObjectType({ description: 'One line of an invoice (and of its reconciliation file).' })
export class InvoiceLineItem {
  @Field(() => ID, { description: 'The line, as a credit note names it.' }) id!: string;
  @Field(() => CustomerRef) customer!: CustomerRef;
  @Field(() => CloudSubscriptionRef, { nullable: true, description: 'Null for a CUSTOMER_CHARGE line (see chargeId).' }) subscription!: CloudSubscriptionRef | null;
  @Field(() => ID, { nullable: true, description: 'CUSTOMER_CHARGE lines: the one-off charge.' }) chargeId?: string | null;
  @Field(() => ChargeTypeEnum) chargeType!: ChargeTypeEnum;
  @Field() description!: string;
  @Field(() => ID, { nullable: true }) meterId?: string;
  @Field(() => DecimalScalar) quantity!: string;
  @Field(() => DecimalScalar, { description: 'Exact unit price (per unit, or per licence and month), markups applied.' }) unitPrice!: string;
  @Field(() => DecimalScalar, { description: 'Rounded once, half-even, to the currency minor unit.' }) amount!: string;
  @Field({ description: 'First usage day (YYYY-MM-DD) of this line.' }) usageFrom!: string;
  @Field({ description: 'Last usage day (YYYY-MM-DD) of this line.' }) usageTo!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Converted lines: 1 sourceCurrency = fxRate invoice currency.' }) fxRate?: string;
  @Field(() => String, { nullable: true, description: 'Converted lines: the market currency the charge was priced in.' }) sourceCurrency?: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Converted lines: the amount in sourceCurrency (for reconciliation; the invoice sums amount).' }) sourceAmount?: string;
}

@ObjectType()
export class InvoiceLineItemConnection extends Connection(InvoiceLineItem) {}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An issued invoice: never changed once issued; payments and credit notes are recorded beside it.' })
export class Invoice {
  @Field(() => ID) id!: string;
  @Field({ description: 'Unique per issuer, e.g. INV-VENDOR-202610-0001.' }) number!: string;
  @Field(() => InvoiceKindEnum) kind!: InvoiceKindEnum;
  @Field({ description: 'YYYY-MM' }) period!: string;
  @Field() currency!: string;
  @Field(() => Money) subtotal!: Money;
  @Field(() => Money, { description: 'subtotal + Σ taxLines, exactly.' }) total!: Money;
  @Field(() => [TaxLine], { description: 'VAT: rate × base, rounded once (none where no rate applies).' }) taxLines!: TaxLine[];
  @Field(() => [FxConversion], { description: 'The rates the lines were converted with (empty: no conversion).' }) fx!: FxConversion[];
  @Field(() => String, { nullable: true, description: 'Printed on the invoice, e.g. the reverse-charge note.' }) legalNote?: string | null;
  @Field(() => Date, { nullable: true, description: 'issuedAt + the payment terms of the agreement (default net 30).' }) dueAt?: Date | null;
  @Field(() => Int, { nullable: true, description: 'Net days of the payment terms it was issued with.' }) paymentTermsDays?: number | null;
  @Field(() => String, { nullable: true, description: "The buyer's VAT number, as issued." }) buyerTaxId?: string | null;
  @Field(() => BillingParty) billFrom!: BillingParty;
  @Field(() => BillingParty) billTo!: BillingParty;
  @Field(() => Int) lineCount!: number;
  @Field() issuedAt!: Date;
  doc!: InvoiceDoc;
}

@ObjectType()
export class InvoiceConnection extends Connection(Invoice) {}

export const MarkInvoicePaidPayload = payload('MarkInvoicePaidPayload', 'invoice', Invoice);
export type MarkInvoicePaidPayload = InstanceType<typeof MarkInvoicePaidPayload>;

export function toInvoice(d: InvoiceDoc): Invoice {
  return Object.assign(new Invoice(), {
    id: d._id,
    number: d.number,
    kind: d.kind,
    period: d.period,
    currency: d.currency,
    subtotal: Money.of(d.subtotal, d.currency),
    total: Money.of(d.total, d.currency),
    taxLines: (d.taxLines ?? []).map((t) => toTaxLine(t, d.currency)),
    fx: (d.fx ?? []).map((f) => Object.assign(new FxConversion(), f)),
    legalNote: d.legalNote ?? null,
    dueAt: d.dueAt ?? null,
    paymentTermsDays: d.paymentTermsDays ?? null,
    buyerTaxId: d.buyerTaxId ?? null,
    billFrom: Object.assign(new BillingParty(), { id: d.issuerId, name: d.issuerName }),
    billTo: Object.assign(new BillingParty(), { id: d.billToId, name: d.billToName }),
    lineCount: d.lineCount,
    issuedAt: d.issuedAt,
    doc: d,
  });
}

export function toLineItem(d: LineItemDoc): InvoiceLineItem {
  return Object.assign(new InvoiceLineItem(), {
    id: d._id,
    customer: CustomerRef.of(d.customerId),
    subscription: d.subscriptionId ? CloudSubscriptionRef.of(d.subscriptionId) : null,
    chargeId: d.chargeId ?? null,
    chargeType: d.chargeType,
    description: d.description,
    meterId: d.meterId ?? undefined,
    quantity: d.quantity,
    unitPrice: d.unitPrice,
    amount: d.amount,
    usageFrom: d.usageFrom,
    usageTo: d.usageTo,
    fxRate: d.fxRate,
    sourceCurrency: d.sourceCurrency,
    sourceAmount: d.sourceAmount,
  });
}
