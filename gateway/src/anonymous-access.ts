import type { ApolloServerPlugin } from '@apollo/server';
import { AppError, PUBLIC_TAG, rootFieldsTagged, SIGN_IN_TAG } from '@csp/kernel/edge';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from './context';

/**
 * Root fields a caller without a token may ask for: those the subgraphs tag public or sign-in
 * (signing in, the public catalog, the clock), read from the supergraph, and introspection.
 */
export function anonymousFields(supergraph: DocumentNode): Set<string> {
  return new Set([...rootFieldsTagged(supergraph, PUBLIC_TAG), ...rootFieldsTagged(supergraph, SIGN_IN_TAG), '__typename', '__schema', '__type']);
}

export function anonymousAccessPlugin(supergraph: DocumentNode): ApolloServerPlugin<GatewayContext> {
  const ANONYMOUS_FIELDS = anonymousFields(supergraph);
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
