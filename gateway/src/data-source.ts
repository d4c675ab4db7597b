import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { REQUEST_ID_HEADER } from '@csp/kernel';
import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import type { GatewayContext } from './context';

/**
 * Passes the caller's bearer token and the request id on to the subgraph; subgraphs verify
 * the token again rather than trusting a header set by the gateway.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
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
