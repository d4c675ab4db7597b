import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { AWAIT_HEADER, INTERNAL_PROOF_HEADER, parseEventRefs, REQUEST_ID_HEADER, signInternal, WRITTEN_HEADER } from '@csp/kernel/edge';
import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import type { GatewayContext } from './context';
import { parseAnswer, type SubgraphClient } from './subgraph-fetch';

type GraphQLRequest = GraphQLDataSourceProcessOptions<GatewayContext>['request'];

async function sendVia(client: SubgraphClient, request: GraphQLRequest) {
  const { http, ...rest } = request;
  if (!http) throw new Error("Internal error: Only 'http' requests are supported.");
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of http.headers) headers[name] = value;
  return parseAnswer(await client.post(http.url, headers, JSON.stringify(rest)));
}

/**
 * Passes the caller's bearer token and the request id on to the subgraph; subgraphs verify
 * the token again rather than trusting a header set by the gateway.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: string,
    private readonly internalSecret: string,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
    client?: SubgraphClient,
  ) {
    super(config);
    // The pooled client (subgraph-fetch.ts) replaces the base class's per-call fetch and Request objects.
    if (client) Object.assign(this, { sendRequest: (request: GraphQLRequest) => sendVia(client, request) });
  }

  /**
   * A subgraph that is down or slower than the timeout: its fields come back null with a
   * SERVICE_UNAVAILABLE error naming it, and the other subgraphs' fields are still answered.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (err) {
      if (err instanceof GraphQLError) {
        // A subgraph that refused the request (e.g. 400 for a variable its scalar rejects)
        // answered with GraphQL errors: pass them on with their codes instead of a bare "400".
        const body = (err.extensions?.response as { body?: { errors?: unknown[] } } | undefined)?.body;
        if (Array.isArray(body?.errors) && body.errors.length) return { errors: body.errors as never };
        throw err;
      }
      return {
        errors: [
          {
            message: `The ${this.serviceName} service did not answer in time; the fields it serves are null, the rest is unaffected.`,
            extensions: { code: 'SERVICE_UNAVAILABLE', service: this.serviceName },
          } as never,
        ],
      };
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // The proof that this fetch comes from the gateway (subgraphs refuse requests without it).
    const authorization = context && 'requestId' in context ? context.authorization : undefined;
    request.http?.headers.set(INTERNAL_PROOF_HEADER, signInternal(this.internalSecret, authorization));
    if (!context || !('requestId' in context)) return;
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.writes?.length) request.http?.headers.set(AWAIT_HEADER, context.writes.join(','));
    // The client as the gateway determined it (identity throttles sign-ins per address).
    if (context.clientAddress) request.http?.headers.set('x-forwarded-for', context.clientAddress);
  }

  /** Collects the events a subgraph says this request wrote (read-your-writes). */
  override async didReceiveResponse({ response, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    const written = parseEventRefs(response.http?.headers.get(WRITTEN_HEADER)).map((r) => `${r.type}:${r.id}`);
    if (written.length && context && 'writes' in context) {
      context.writes.push(...written);
      context.ownWrites += written.length;
    }
    return response;
  }
}

/** A subgraph that hangs answers as an error after `ms`, instead of hanging the gateway. */
export function timeoutFetcher(ms: number): Fetcher {
  return ((input: string, init?: FetcherRequestInit) =>
    fetch(input, { ...(init as RequestInit), signal: AbortSignal.timeout(ms) })) as unknown as Fetcher;
}
