import { sellsTo } from '../directory/sells-to';
import { createHash } from 'node:crypto';
import { event } from '@csp/events';
import { badInput, conflict, isDuplicateKey, newId, notFound, type Caller, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { BillCustomerDoc, PartnerDoc, RelationshipDoc } from '../directory/directory.model';
import type { InvoiceDoc } from '../invoices/invoice.model';
import { invoiceIdOf } from '../invoices/invoicing.service';
import { boundedDecimal, BOUNDS } from '@csp/kernel';
import { Dec, formatMoney, minorUnits } from '../money/decimal';
import type { InvoiceRunDoc } from '../runs/invoice-run.model';
import { chargeRun } from './charge-run';
import type { CustomerChargeDoc } from './customer-charge.model';

export interface AddChargeCommand {
  customerId: string;
  description: string;
  amount: { amount: string; currency: string };
  idempotencyKey: string;
}

interface Models {
  customerCharges: Model<CustomerChargeDoc>;
  customers: Model<BillCustomerDoc>;
  partners: Model<PartnerDoc>;
  relationships: Model<RelationshipDoc>;
  runs: Model<InvoiceRunDoc>;
  invoices: Model<InvoiceDoc>;
}

/**
 * One-off charges. The claim is the insert under the unique (partnerId, idempotencyKey) index:
 * the same key with the same body returns the same charge, with another body CONFLICT. Only a
 * partner that sells to the customer (its relationship) may charge it; others: NOT_FOUND.
 */
export class CustomerChargeService {
  constructor(
    private readonly m: Models,
    private readonly clock: Clock,
  ) {}

  async add(caller: Caller & { partnerId: string }, input: AddChargeCommand): Promise<CustomerChargeDoc> {
    const key = input.idempotencyKey.trim();
    if (!key || key.length > 200) throw badInput('idempotencyKey must be 1 to 200 characters.', 'idempotencyKey');
    const [{ sells }, partner] = await Promise.all([sellsTo(this.m, caller.partnerId, input.customerId), this.m.partners.findById(caller.partnerId).lean<PartnerDoc>()]);
    if (!sells) throw notFound('Customer', input.customerId);
    if (!partner) throw badInput(`Partner ${caller.partnerId} is not known to billing yet; try again shortly.`, 'customerId');
    const description = input.description.trim();
    if (!description || description.length > 200) throw badInput('A charge needs a description of 1 to 200 characters.', 'description');
    const currency = input.amount.currency.trim().toUpperCase();
    if (currency !== partner.currency) throw badInput(`Charges are in the partner's currency (${partner.currency}); got ${input.amount.currency}.`, 'amount.currency');
    boundedDecimal(input.amount.amount, 'amount.amount', BOUNDS.paymentAmount);
    const d = new Dec(input.amount.amount);
    if (!d.gt(0)) throw badInput('A charge is a positive amount (corrections are credit notes).', 'amount.amount');
    if (d.decimalPlaces() > minorUnits(currency)) throw badInput(`${currency} amounts have at most ${minorUnits(currency)} decimal places; got ${input.amount.amount}.`, 'amount.amount');
    const amount = formatMoney(d, currency);
    const inputHash = createHash('sha256').update(JSON.stringify({ customerId: input.customerId, description, amount, currency })).digest('hex');

    const existing = await this.m.customerCharges.findOne({ partnerId: caller.partnerId, idempotencyKey: key }, { outbox: 0 }).lean<CustomerChargeDoc>();
    if (existing) return replay(existing, inputHash);
    const at = this.clock.now();
    const doc: CustomerChargeDoc = {
      _id: newId('chg'),
      partnerId: caller.partnerId,
      customerId: input.customerId,
      description,
      amount,
      currency,
      idempotencyKey: key,
      inputHash,
      createdBy: caller.userId,
      createdAt: at,
      outbox: [],
    };
    doc.outbox = [
      event('customerCharge.added', { chargeId: doc._id, partnerId: doc.partnerId, customerId: doc.customerId, description, amount, currency, at: at.toISOString() }, this.clock),
    ];
    try {
      await this.m.customerCharges.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.m.customerCharges.findOne({ partnerId: caller.partnerId, idempotencyKey: key }, { outbox: 0 }).lean<CustomerChargeDoc>();
      if (!winner) throw err;
      return replay(winner, inputHash);
    }
    return doc;
  }

  /** The invoice that billed each charge, or null while unbilled (the next run's invoice). */
  async billedOn(charges: CustomerChargeDoc[]): Promise<Array<InvoiceDoc | null>> {
    const runs = await this.m.runs.find({}, { period: 1, cutoff: 1 }).lean<InvoiceRunDoc[]>();
    const ids = charges.map((c) => {
      const run = chargeRun(runs, c.createdAt);
      return run ? invoiceIdOf('PARTNER_TO_CUSTOMER', c.partnerId, c.customerId, run.period, c.currency) : undefined;
    });
    const wanted = ids.filter((x): x is string => !!x);
    const docs = wanted.length ? await this.m.invoices.find({ _id: { $in: wanted } }).lean<InvoiceDoc[]>() : [];
    return ids.map((id) => docs.find((d) => d._id === id) ?? null);
  }
}

function replay(doc: CustomerChargeDoc, inputHash: string): CustomerChargeDoc {
  if (doc.inputHash !== inputHash) throw conflict(`idempotencyKey ${doc.idempotencyKey} was already used for charge ${doc._id} with a different body.`);
  return doc;
}
