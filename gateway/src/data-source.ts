import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { INTERNAL_PROOF_HEADER, REQUEST_ID_HEADER, signInternal } from '@csp/kernel';
import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import type { GatewayContext } from './context';

/**
 * Passes the caller's bearer token and the request id on to the subgraph; subgraphs verify
 * the token again rather than trusting a header set by the gateway.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: string,
    private readonly internalSecret: string,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
  ) {
    super(config);
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
  }
}

/** A subgraph that hangs answers as an error after `ms`, instead of hanging the gateway. */
export function timeoutFetcher(ms: number): Fetcher {
  return ((input: string, init?: FetcherRequestInit) =>
    fetch(input, { ...(init as RequestInit), signal: AbortSignal.timeout(ms) })) as unknown as Fetcher;
}
