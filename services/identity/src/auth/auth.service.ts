import { AppError, signAccessToken, type Caller } from '@csp/kernel';
import type { Model } from 'mongoose';
import type { KeyStore } from '../keys/key-store';
import type { UserDoc } from '../users/user.model';
import { waitText, type LoginThrottle } from './login-throttle';
import { DUMMY_HASH, verifyPassword } from './passwords';
import { staffRolesOfUser } from '../users/staff-roles';

const WRONG = 'The email or password is not correct.';

export interface AuthSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** Sign-in: same answer, and about the same time, for a wrong password and an unknown email. */
export class AuthService {
  constructor(
    private readonly users: Model<UserDoc>,
    private readonly keys: KeyStore,
    private readonly throttle: LoginThrottle,
    private readonly settings: AuthSettings,
    /** Security groups a user belongs to, embedded in the token. */
    private readonly groupsOf: (userId: string) => Promise<string[]> = async () => [],
  ) {}

  /** `address`: the client's, as the gateway names it; failures slow that address down only. */
  async login(emailInput: string, password: string, address = 'unknown'): Promise<{ token: string; expiresAt: Date; user: UserDoc }> {
    const email = emailInput.trim().toLowerCase();
    const attempt = { subject: email, address };
    const wait = await this.throttle.waitFor(attempt);
    if (wait) {
      throw new AppError('UNAUTHENTICATED', `Too many failed sign-ins for this email from this address; try again in ${waitText(wait)}.`);
    }
    const user = await this.users.findOne({ email }).lean<UserDoc>();
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    // A tenant's first admin signs in once its tenant is complete (no orphan of a dead creation can).
    if (!user || !ok || user.pendingTenant) {
      await this.throttle.fail(attempt);
      throw new AppError('UNAUTHENTICATED', WRONG);
    }
    await this.throttle.succeed(attempt);
    const { token, expiresAt } = await this.issue(user);
    return { token, expiresAt, user };
  }

  async issue(user: UserDoc): Promise<{ token: string; expiresAt: Date }> {
    const caller: Caller = {
      userId: user._id,
      kind: user.kind,
      email: user.email,
      partnerId: user.partnerId,
      customerId: user.customerId,
      groupIds: await this.groupsOf(user._id),
      scopes: [],
      roles: staffRolesOfUser(user),
    };
    return signAccessToken(await this.keys.signingKey(), caller, { ...this.settings, ttlSeconds: this.settings.ttlSeconds });
  }
}
