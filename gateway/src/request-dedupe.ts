import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { GatewayContext } from './context';

type Body = GraphQLResponse['body'];

/**
 * Identical in-flight queries of one caller answered by one execution (a page that many tabs or
 * widgets ask for at once): same Authorization, same writes to await (read-your-writes), same
 * document, operation name and variables. Never mutations, never across callers. Each request
 * still goes through its own rate limit, authentication, limits and metrics; only execution is
 * shared. Complements the subgraph client's sharing of identical subgraph calls (subgraph-fetch.ts).
 */
export function requestDedupePlugin(): ApolloServerPlugin<GatewayContext> {
  const inFlight = new Map<string, Promise<{ body: Body; status?: number }>>();
  return {
    async requestDidStart() {
      let lead: { key: string; done: (r: { body: Body; status?: number }) => void } | undefined;
      return {
        async responseForOperation({ operation, request, contextValue: c }) {
          if (operation?.operation !== 'query' || !c.caller || !request.query) return null;
          const key = JSON.stringify([c.authorization ?? '', c.writes, request.operationName ?? '', request.query, request.variables ?? {}]);
          const running = inFlight.get(key);
          if (running) {
            const { body, status } = await running;
            return { http: { status, headers: new HeaderMap() }, body };
          }
          let done!: (r: { body: Body; status?: number }) => void;
          inFlight.set(key, new Promise((resolve) => (done = resolve)));
          lead = { key, done };
          return null;
        },
        async willSendResponse({ response }) {
          if (!lead) return;
          inFlight.delete(lead.key);
          lead.done({ body: response.body, status: response.http.status });
        },
      };
    },
  };
}
