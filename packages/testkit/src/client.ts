import type { DocumentNode } from 'graphql';
import { print } from 'graphql';
import { INTERNAL_PROOF_HEADER, signInternal } from '@csp/kernel';

export interface GraphQLResponse<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }>;
  headers: Headers;
}

/** A plain HTTP GraphQL client, as a frontend would call the graph. */
export async function graphql<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
  url: string,
  query: string | DocumentNode,
  variables: Record<string, unknown> = {},
  opts: { token?: string; headers?: Record<string, string>; /** INTERNAL_SECRET: call a subgraph directly, as the gateway would. */ internal?: string } = {},
): Promise<GraphQLResponse<T>> {
  const authorization = opts.token ? `Bearer ${opts.token}` : undefined;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
      ...(opts.internal ? { [INTERNAL_PROOF_HEADER]: signInternal(opts.internal, authorization) } : {}),
      ...opts.headers,
    },
    body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
  });
  const text = await res.text();
  let body: { data?: T; errors?: GraphQLResponse['errors'] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: `non-JSON response (${res.status}): ${text.slice(0, 200)}` }] };
  }
  return { status: res.status, data: body.data ?? undefined, errors: body.errors, headers: res.headers };
}

/** First error code of a response, for terse assertions. */
export const errorCode = (r: GraphQLResponse) => r.errors?.[0]?.extensions?.code;

/** Headers proving a direct call comes from inside the platform (as the gateway's fetches do). */
export const internalHeaders = (secret: string, authorization?: string): Record<string, string> => ({ [INTERNAL_PROOF_HEADER]: signInternal(secret, authorization) });
