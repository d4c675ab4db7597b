import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValidationRule } from 'graphql';
import { AppError } from './errors';

/** Query limits: generous for the contract's operations, fatal for abuse. Gateway and subgraphs alike. */
export const ARMOR_LIMITS = { maxDepth: 12, maxAliases: 15, costLimit: 20_000, maxTokens: 2_000, maxDirectives: 20 };

/**
 * One armor set-up for every GraphQL server of the platform (gateway and each subgraph), so a
 * subgraph reached directly is no weaker than the gateway.
 */
export function queryLimits(production: boolean): { validationRules: ValidationRule[]; plugins: ApolloServerPlugin<any>[] } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const armor = new ApolloArmor({
    maxDepth: { n: ARMOR_LIMITS.maxDepth },
    maxAliases: { n: ARMOR_LIMITS.maxAliases },
    costLimit: { maxCost: ARMOR_LIMITS.costLimit },
    // graphql-js limits tokens while parsing itself (parseOptions), answering 400;
    // armor's version throws from a plugin hook, which Apollo turns into a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: ARMOR_LIMITS.maxDirectives },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  return { validationRules: armor.validationRules as ValidationRule[], plugins: [...(armor.plugins as ApolloServerPlugin[]), operationShapePlugin()] };
}

/**
 * Requests whose operation cannot be chosen or is not served here are the client's mistake:
 * 400 with a clear message (without this the gateway's executor answers 500).
 */
export function operationShapePlugin(): ApolloServerPlugin<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, document }) {
          const operationName = request.operationName;
          const bad = (message: string) => new AppError('BAD_REQUEST', message, { http: { status: 400 } });
          if (!operation) {
            if (operationName) throw bad(`Unknown operation named "${operationName}".`);
            const count = document.definitions.filter((d) => d.kind === 'OperationDefinition').length;
            throw bad(count > 1 ? `Must provide operation name if query contains multiple operations (this one has ${count}).` : 'The document holds no operation to run.');
          }
          if (operation.operation === 'subscription') throw bad('Subscriptions are not served: send a query or a mutation.');
        },
      };
    },
  };
}

/** Most root fields one request may ask for (the contract's operations use one). */
export const MAX_ROOT_FIELDS = 10;
/** Root fields of the operation, fragments and inline fragments on the root type followed. */
export function rootFieldNames(op: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) out.push(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value) && fragments[s.name.value]) {
        seen.add(s.name.value);
        walk(fragments[s.name.value].selectionSet);
      }
    }
  };
  walk(op.selectionSet);
  return out;
}


/** Subgraphs cap root fields too (the gateway does it itself, after counting sign-ins). */
export function rootFieldCapPlugin(): ApolloServerPlugin<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document }) {
          if (!operation) return;
          const n = rootFieldNames(operation, fragmentsOf(document.definitions)).length;
          if (n > MAX_ROOT_FIELDS) throw new AppError('BAD_REQUEST', `A request may ask for at most ${MAX_ROOT_FIELDS} root fields; this one has ${n}.`, { http: { status: 400 } });
        },
      };
    },
  };
}

export const fragmentsOf = (defs: readonly { kind: string }[]): Record<string, FragmentDefinitionNode> =>
  Object.fromEntries(defs.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
