import { badInput, isDuplicateKey } from '@csp/kernel';
import type { BillingDeps } from '../deps';
import type { InvoiceDoc } from '../invoices/invoice.model';
import { dayOf, isDay } from '../money/dates';
import { Dec, formatMoney, minorUnits } from '../money/decimal';
import type { PaymentDoc } from './payment.model';
import { loadInvoiceEvents, settle } from './settlement';

/**
 * Records a payment the issuer received. The key makes it idempotent (the same key returns the
 * first payment); several payments add up; more than the balance is refused.
 */
export async function recordPayment(
  deps: BillingDeps,
  inv: InvoiceDoc,
  input: { amount: string; currency: string; receivedOn: string; idempotencyKey: string; recordedBy: string },
): Promise<void> {
  const key = input.idempotencyKey.trim();
  if (!key || key.length > 200) throw badInput('idempotencyKey must have 1 to 200 characters', 'idempotencyKey');
  const id = `${inv._id}|${key}`;
  if (await deps.models.payments.exists({ _id: id })) return;
  if (input.currency !== inv.currency) throw badInput(`the invoice is in ${inv.currency}; the payment is in ${input.currency}`, 'amount');
  const amount = new Dec(input.amount);
  if (!amount.gt(0)) throw badInput('amount must be greater than 0', 'amount');
  if (amount.decimalPlaces() > minorUnits(inv.currency)) throw badInput(`amount has more decimals than ${inv.currency} has (${minorUnits(inv.currency)})`, 'amount');
  const today = dayOf(deps.clock.now());
  if (!isDay(input.receivedOn)) throw badInput('receivedOn must be a day "YYYY-MM-DD"', 'receivedOn');
  if (input.receivedOn > today) throw badInput(`receivedOn ${input.receivedOn} is in the future`, 'receivedOn');
  await deps.invoiceLocks.settle(
    inv._id,
    async () => {
      if (await deps.models.payments.exists({ _id: id })) return;
      const s = settle(inv, (await loadInvoiceEvents(deps.models, [inv._id])).get(inv._id)!, deps.clock.now());
      if (amount.gt(s.balance)) throw badInput(`amount ${formatMoney(amount, inv.currency)} is more than the balance ${formatMoney(Dec.max(s.balance, 0), inv.currency)} ${inv.currency}`, 'amount');
      const doc: PaymentDoc = { _id: id, invoiceId: inv._id, amount: formatMoney(amount, inv.currency), currency: inv.currency, receivedOn: input.receivedOn, recordedBy: input.recordedBy, recordedAt: deps.clock.now() };
      await deps.models.payments.create(doc).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
    },
    { ttlMs: 10_000, waitMs: 5_000 },
  );
}
