import { badInput, conflict, isDuplicateKey, newId, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import { checkPasswordStrength, hashPassword } from '../auth/passwords';
import type { UserDoc, UserKind } from './user.model';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(value: string, field = 'adminEmail'): string {
  const email = value.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254) throw badInput(`${field} must be an email address.`, field);
  return email;
}

export function checkPassword(password: string, field = 'adminPassword'): void {
  const problem = checkPasswordStrength(password);
  if (problem) throw badInput(problem, field);
}

/** Creates sign-in accounts; the unique email index decides between concurrent creators. */
export class UserAccounts {
  constructor(
    private readonly users: Model<UserDoc>,
    private readonly clock: Clock,
  ) {}

  async emailTaken(email: string): Promise<boolean> {
    return !!(await this.users.exists({ email }));
  }

  async create(input: { email: string; password: string; kind: UserKind; partnerId?: string; customerId?: string; admin?: boolean }): Promise<UserDoc> {
    const doc: UserDoc = {
      _id: newId('usr'),
      email: input.email,
      passwordHash: await hashPassword(input.password),
      kind: input.kind,
      ...(input.partnerId ? { partnerId: input.partnerId } : {}),
      ...(input.customerId ? { customerId: input.customerId } : {}),
      admin: !!input.admin,
      createdAt: this.clock.now(),
      outbox: [],
    };
    try {
      await this.users.create(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict(`A user with email ${input.email} already exists.`);
      throw err;
    }
    return doc;
  }

  /** Undo for a half-done onboarding (the account was created, the step after it failed). */
  async remove(id: string): Promise<void> {
    await this.users.deleteOne({ _id: id });
  }
}
