import { isDuplicateKey, newId, type Clock, type Logger } from '@csp/kernel';
import type { Model } from 'mongoose';
import { hashPassword } from '../auth/passwords';
import type { UserDoc } from './user.model';

/** The vendor operator account comes from configuration at first start; later starts keep it. */
export async function ensureOperator(users: Model<UserDoc>, email: string, password: string, clock: Clock, logger: Logger) {
  const normalized = email.trim().toLowerCase();
  if (await users.exists({ email: normalized })) return;
  try {
    await users.create({
      _id: newId('usr'),
      email: normalized,
      passwordHash: await hashPassword(password),
      kind: 'OPERATOR',
      createdAt: clock.now(),
      outbox: [],
    });
    logger.info({ email: normalized }, 'operator account created');
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // another replica created it first
  }
}
