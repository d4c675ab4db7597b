import type { ApolloServerPlugin } from '@apollo/server';
import { AppError, MAX_ROOT_FIELDS, rootFieldNames, rootFieldsTagged, SIGN_IN_TAG } from '@csp/kernel/edge';
import { Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { GatewayContext } from './context';


/**
 * Caps root fields per request, and counts every sign-in field (aliases included) against the
 * client address's sign-in budget: one request with 15 logins spends 15 attempts.
 */
export function requestLimitsPlugin(signIns: RateLimiterRedis, supergraph: DocumentNode): ApolloServerPlugin<GatewayContext> {
  // Root fields that try a credential, tagged sign-in where the subgraph declares them: each one is an attempt.
  const SIGN_IN_FIELDS = rootFieldsTagged(supergraph, SIGN_IN_TAG);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (!operation) return;
          const fragments = Object.fromEntries(
            document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
          );
          const fields = rootFieldNames(operation, fragments);
          // Attempts count before any other refusal, so no request shape spends them for free.
          const attempts = fields.filter((f) => SIGN_IN_FIELDS.has(f)).length;
          if (attempts) {
            try {
              await signIns.consume(`ip:${contextValue.clientAddress}`, attempts);
            } catch (err) {
              if (err instanceof RateLimiterRes) {
                const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
                throw new AppError('TOO_MANY_REQUESTS', `Too many sign-in attempts from this address: retry after ${retryAfter} s.`, {
                  http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
                });
              } // else a store error: fail open
            }
          }
          if (fields.length > MAX_ROOT_FIELDS) {
            throw new AppError('BAD_REQUEST', `A request may ask for at most ${MAX_ROOT_FIELDS} root fields; this one has ${fields.length}.`, { http: { status: 400 } });
          }
        },
      };
    },
  };
}
