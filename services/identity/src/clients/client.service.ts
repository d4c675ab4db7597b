import { randomBytes } from 'node:crypto';
import { AppError, badInput, cleanName, newId, notFound, signAccessToken, type Caller, type Clock } from '@csp/kernel';
import { waitText, type LoginThrottle } from '../auth/login-throttle';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../auth/passwords';
import type { KeyStore } from '../keys/key-store';
import type { ClientDoc } from './client.model';
import type { IdentityModels } from '../models';

const WRONG = 'The client id or secret is not correct.';
const SCOPE_RE = /^[a-z][a-z-]*:[a-z][a-z-]*$/;

/** Client-credential grant for machine clients: tokens of kind SERVICE carrying scopes. */
export class ClientService {
  constructor(
    private readonly models: Pick<IdentityModels, 'clients' | 'partners'>,
    private readonly keys: KeyStore,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    private readonly settings: { issuer: string; audience: string; ttlSeconds: number },
  ) {}

  /** Operator only (checked by the resolver). The secret is shown once and stored hashed. */
  async create(caller: Caller, input: { name: string; scopes: string[]; partnerId?: string | null }): Promise<{ client: ClientDoc; secret: string }> {
    const name = cleanName(input.name, 'name', 100);
    const scopes = [...new Set(input.scopes.map((s) => s.trim()))];
    const bad = scopes.filter((s) => !SCOPE_RE.test(s));
    if (!scopes.length || bad.length) throw badInput('scopes must be one or more names like "usage:write".', 'scopes');
    if (input.partnerId && !(await this.models.partners.exists({ _id: input.partnerId }))) throw notFound('Partner', input.partnerId);
    const secret = randomBytes(32).toString('base64url');
    const client: ClientDoc = {
      _id: newId('cli'),
      name,
      secretHash: await hashPassword(secret),
      scopes,
      ...(input.partnerId ? { partnerId: input.partnerId } : {}),
      createdBy: caller.userId,
      createdAt: this.clock.now(),
    };
    await this.models.clients.create(client);
    return { client, secret };
  }

  /** Same answer, about the same time, for an unknown client and a wrong secret; throttled. */
  async token(clientId: string, secret: string, address = 'unknown'): Promise<{ token: string; expiresAt: Date; client: ClientDoc }> {
    const key = { subject: `client:${clientId.trim()}`, address };
    const wait = await this.throttle.waitFor(key);
    if (wait) throw new AppError('UNAUTHENTICATED', `Too many failed attempts for this client from this address; try again in ${waitText(wait)}.`);
    const client = await this.models.clients.findById(clientId.trim()).lean<ClientDoc>();
    const ok = await verifyPassword(secret, client?.secretHash ?? DUMMY_HASH);
    if (!client || !ok) {
      await this.throttle.fail(key);
      throw new AppError('UNAUTHENTICATED', WRONG);
    }
    await this.throttle.succeed(key);
    const caller: Caller = {
      userId: client._id,
      kind: 'SERVICE',
      ...(client.partnerId ? { partnerId: client.partnerId } : {}),
      groupIds: [],
      roles: [],
      scopes: client.scopes,
    };
    const { token, expiresAt } = await signAccessToken(await this.keys.signingKey(), caller, this.settings);
    return { token, expiresAt, client };
  }
}
