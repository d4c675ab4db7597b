import { parseConfig, type Runtime } from '@csp/kernel';
import { AuthService } from './auth/auth.service';
import { LoginThrottle } from './auth/login-throttle';
import { identityEnv } from './config';
import { KeyStore } from './keys/key-store';
import { signingKeyModel } from './keys/signing-key.model';
import { ensureOperator } from './users/operator-bootstrap';
import { userModel } from './users/user.model';

/** Built once per process; resolvers reach it through the context. */
export async function buildDeps(rt: Runtime, env: NodeJS.ProcessEnv) {
  const settings = parseConfig(identityEnv, env);
  const conn = rt.mongo.connection;
  const users = userModel(conn);
  const keys = new KeyStore(signingKeyModel(conn), rt.clock);
  await Promise.all([users.init(), keys.signingKey()]);
  await ensureOperator(users, settings.OPERATOR_EMAIL, settings.OPERATOR_PASSWORD, rt.clock, rt.logger);
  const auth = new AuthService(users, keys, new LoginThrottle(rt.redis, rt.config.REDIS_PREFIX), {
    issuer: rt.config.JWT_ISSUER,
    audience: rt.config.JWT_AUDIENCE,
    ttlSeconds: settings.ACCESS_TOKEN_TTL_SECONDS,
  });
  return { rt, clock: rt.clock, settings, users, keys, auth };
}

export type IdentityDeps = Awaited<ReturnType<typeof buildDeps>>;
