import { isDuplicateKey } from '@csp/kernel';
import type { Model } from 'mongoose';

/**
 * Read models are fed by events that may arrive out of order or twice: a fact is applied only
 * when it is at least as new as the stored one. The losing upsert of a race (or an older
 * event) hits the unique _id and is dropped.
 */
export async function applyIfNewer<D extends { _id: string; at?: Date }>(
  model: Model<D>,
  id: string,
  at: Date,
  set: Partial<D>,
): Promise<boolean> {
  try {
    const r = await model.updateOne(
      { _id: id, $or: [{ at: { $lte: at } }, { at: null }] } as never,
      { $set: { ...set, at } } as never,
      { upsert: true },
    );
    return r.modifiedCount + r.upsertedCount > 0;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
