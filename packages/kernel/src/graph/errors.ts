import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'BAD_REQUEST' | 'TOO_MANY_REQUESTS' | 'SERVICE_UNAVAILABLE';
const KNOWN = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'TOO_MANY_REQUESTS',
  'SERVICE_UNAVAILABLE',
]);

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const unauthenticated = (message = 'Sign in first: this operation needs a valid bearer token.') =>
  new AppError('UNAUTHENTICATED', message);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
/** Unknown and not-yours look the same, so ids of other tenants leak nothing. */
export const notFound = (what: string, id?: string) =>
  new AppError('NOT_FOUND', id ? `${what} ${id} was not found.` : `${what} was not found.`);
export const badInput = (message: string, field?: string) =>
  new AppError('BAD_USER_INPUT', message, field ? { field } : {});
export const conflict = (message: string) => new AppError('CONFLICT', message);

/**
 * Shapes every error a client sees: known codes pass through with their message;
 * anything else becomes INTERNAL_SERVER_ERROR with a generic message. Never a stack trace.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log?: (err: unknown) => void): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? '');
  const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
  if (KNOWN.has(code)) return { ...formatted, extensions };
  // Subgraph errors relayed through the gateway keep their code inside `extensions`.
  log?.(error);
  return {
    message: 'Internal server error. The request id in the logs identifies it.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: code === 'DOWNSTREAM_SERVICE_ERROR' ? code : 'INTERNAL_SERVER_ERROR' },
  };
}
