import type { Model } from 'mongoose';
import type { BillCustomerDoc, RelationshipDoc } from './directory.model';

/**
 * Whether a partner sells to a customer now — the one rule pricing, charges, payment terms and
 * budgets share: the relationship decides once billing knows it (a revoked one ends it, even for
 * the partner that created the customer); until then, the partner that created the customer.
 */
export async function sellsTo(
  m: { customers: Model<BillCustomerDoc>; relationships: Model<RelationshipDoc> },
  partnerId: string,
  customerId: string,
): Promise<{ customer: BillCustomerDoc | null; sells: boolean }> {
  const [customer, relationship] = await Promise.all([
    m.customers.findById(customerId).lean<BillCustomerDoc>(),
    m.relationships.findById(`${customerId}|${partnerId}`, { active: 1 }).lean<RelationshipDoc>(),
  ]);
  const sells = !!customer && (relationship ? relationship.active : customer.partnerId === partnerId);
  return { customer, sells };
}
