import { AppError, AWAIT_HEADER, awaitedForInternalCall, badInput, forbidden, INTERNAL_PROOF_HEADER, signInternal, unauthenticated } from '@csp/kernel';

/** The answer access-control gives: allowed or not, and which assignment/relationship decided. */
export interface AccessAnswer {
  allowed: boolean;
  reason: string;
}

export interface AccessClientOptions {
  /**
   * Base URL of the access-control service (e.g. http://127.0.0.1:4004), or a function
   * returning it (when the address is known only after start, as in in-process tests).
   */
  url: string | (() => string);
  /** Per-call timeout; a slow or down access-control denies (fails closed). Default 3000 ms. */
  timeoutMs?: number;
  /** The deployment's INTERNAL_SECRET: access-control's internal endpoints answer only the platform. */
  internalSecret: string;
}

export interface AccessClient {
  /**
   * May the caller behind `authorization` (the incoming request's raw "Bearer …" header) do
   * `action` on `scope`? Access-control verifies the token itself. UNAUTHENTICATED and
   * BAD_USER_INPUT come back as typed errors; an unreachable service throws.
   */
  authorize(authorization: string | undefined, scope: string, action: string): Promise<AccessAnswer>;
  /** Many decisions for one caller in one round trip (e.g. a page of subscriptions), in order; at most 100. */
  authorizeMany(authorization: string | undefined, requests: Array<{ scope: string; action: string }>): Promise<AccessAnswer[]>;
  /** As authorize, but throws FORBIDDEN (with the reason) unless allowed. */
  require(authorization: string | undefined, scope: string, action: string): Promise<AccessAnswer>;
  /**
   * Whether the OWNER grant the seed rule gives the partner's admin agents on this subscription
   * is in force (access-control waits briefly for it to appear). A platform call, made for no
   * user: the provisioning worker asks before it reports the subscription ACTIVE. Throws
   * AccessUnavailableError when access-control does not answer.
   */
  ownerGrantInForce(subscriptionId: string, customerId: string): Promise<boolean>;
}

export const AUTHORIZE_PATH = '/internal/authorize';
export const AUTHORIZE_MANY_PATH = '/internal/authorize-many';
export const OWNER_GRANT_PATH = '/internal/owner-grant';

/** Actions the built-in roles know (see services/access-control roles). */
export const ACTIONS = {
  subscriptionRead: 'subscription/read',
  subscriptionManage: 'subscription/manage',
  assignmentsRead: 'roleAssignments/read',
  assignmentsWrite: 'roleAssignments/write',
  billingRead: 'billing/read',
} as const;

/** Scope paths, built the one way access-control parses them. */
export const scopes = {
  customer: (customerId: string) => `/customers/${customerId}`,
  subscription: (customerId: string, subscriptionId: string) => `/customers/${customerId}/subscriptions/${subscriptionId}`,
  service: (customerId: string, subscriptionId: string, name: string) => `/customers/${customerId}/subscriptions/${subscriptionId}/services/${name}`,
};

/** Access-control down or too slow: the request fails closed, as SERVICE_UNAVAILABLE (not a 500). */
export class AccessUnavailableError extends AppError {
  constructor(detail: string) {
    super('SERVICE_UNAVAILABLE', 'The access-control service did not answer in time; nothing was changed, try again.', { service: 'access-control' });
    this.detail = detail;
  }
  readonly detail: string;
}

function awaitHeader(): Record<string, string> {
  const awaited = awaitedForInternalCall();
  return awaited ? { [AWAIT_HEADER]: awaited } : {};
}

export function createAccessClient(opts: AccessClientOptions): AccessClient {
  const base = () => (typeof opts.url === 'function' ? opts.url() : opts.url).replace(/\/+$/, '').replace(/\/graphql$/, '');
  const timeoutMs = opts.timeoutMs ?? 3000;

  /** `authorization` undefined: a call of the platform itself (the proof signs no token). */
  const send = async (path: string, authorization: string | undefined, body: object): Promise<Record<string, unknown>> => {
    let res: Response;
    try {
      res = await fetch(`${base()}${path}`, {
        method: 'POST',
        // Read-your-writes: access-control first applies what this caller just wrote.
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
          [INTERNAL_PROOF_HEADER]: signInternal(opts.internalSecret, authorization),
          ...awaitHeader(),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new AccessUnavailableError(`access-control unreachable: ${(err as Error).message}`);
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    const reason = typeof json.reason === 'string' ? json.reason : undefined;
    if (res.status === 401) throw new AppError('UNAUTHENTICATED', reason ?? 'The access token is not valid.');
    if (res.status === 400) throw badInput(reason ?? 'Not a valid scope or action.', 'scope');
    if (!res.ok) throw new AccessUnavailableError(`access-control answered ${res.status}`);
    return json;
  };
  /** On behalf of a user: its token goes along, and access-control verifies it. */
  const post = async (path: string, authorization: string | undefined, body: object) => {
    if (!authorization) throw unauthenticated();
    return send(path, authorization, body);
  };

  const authorize: AccessClient['authorize'] = async (authorization, scope, action) => {
    const body = await post(AUTHORIZE_PATH, authorization, { scope, action });
    if (typeof body.allowed !== 'boolean') throw new AccessUnavailableError('access-control gave no decision');
    return { allowed: body.allowed, reason: String(body.reason ?? '') };
  };

  return {
    authorize,
    async authorizeMany(authorization, requests) {
      if (!requests.length) return [];
      const body = await post(AUTHORIZE_MANY_PATH, authorization, { requests });
      const answers = body.answers as AccessAnswer[] | undefined;
      if (!Array.isArray(answers) || answers.length !== requests.length) throw new AccessUnavailableError('access-control gave no decisions');
      return answers.map((a) => ({ allowed: a.allowed === true, reason: String(a.reason ?? '') }));
    },
    async require(authorization, scope, action) {
      const answer = await authorize(authorization, scope, action);
      if (!answer.allowed) throw forbidden(answer.reason);
      return answer;
    },
    async ownerGrantInForce(subscriptionId, customerId) {
      const body = await send(OWNER_GRANT_PATH, undefined, { subscriptionId, customerId });
      if (typeof body.inForce !== 'boolean') throw new AccessUnavailableError('access-control gave no answer on the owner grant');
      return body.inForce;
    },
  };
}
