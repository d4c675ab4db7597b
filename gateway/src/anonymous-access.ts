import type { ApolloServerPlugin } from '@apollo/server';
import { AppError } from '@csp/kernel';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from './context';

/** Root fields a caller without a token may ask for: signing in and the public catalog. */
const ANONYMOUS_FIELDS = new Set(['login', 'tokenForClient', 'markets', 'offers', 'offer', 'rateCard', 'clock', '__typename', '__schema', '__type']);

export function anonymousAccessPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (contextValue.caller || !operation) return;
          const denied = rootFields(operation).filter((f) => !ANONYMOUS_FIELDS.has(f));
          if (denied.length) {
            throw new AppError('UNAUTHENTICATED', `Sign in first: ${denied.join(', ')} needs a bearer token.`, {
              http: { status: 401 },
            });
          }
        },
      };
    },
  };
}

function rootFields(op: OperationDefinitionNode): string[] {
  // Fragments on the root type are rare; treat any spread as non-public to stay safe.
  return op.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '<fragment>'));
}
