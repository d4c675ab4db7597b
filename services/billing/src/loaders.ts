import type { Caller } from '@csp/kernel';
import DataLoader from 'dataloader';
import type { BillingDeps } from './deps';
import { loadInvoiceEvents } from './payments/settlement';
import { unbilledCharges } from './rating/unbilled';

/** Per-request batch loaders: one batch of store queries per entity type per request. */
export function billingLoaders(deps: BillingDeps, caller: Caller | null) {
  return {
    unbilled: new DataLoader((ids: readonly string[]) => unbilledCharges(deps, caller!, ids)),
    /** Payments and credit notes per invoice (status, balance): two store queries per request. */
    invoiceEvents: new DataLoader(async (ids: readonly string[]) => {
      const m = await loadInvoiceEvents(deps.models, ids);
      return ids.map((id) => m.get(id)!);
    }),
  };
}

export type BillingLoaders = ReturnType<typeof billingLoaders>;
