import type { ApolloServerPlugin } from '@apollo/server';
import { graphqlDuration } from '../runtime/metrics';
import { noteOperation, operationLabel } from '../runtime/operation-label';
import type { BaseContext } from './context';

/** GraphQL latency and outcome by operation name, for subgraphs and the gateway alike. */
export function metricsPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(rc) {
          const outcome = rc.errors?.length ? 'error' : 'ok';
          // A request that never resolved an operation (parse or validation error) is "invalid".
          const operation = rc.operation ? operationLabel(rc.operationName) : 'invalid';
          noteOperation(operation);
          graphqlDuration.observe(
            { operation, outcome },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
        },
      };
    },
  };
}
