/**
 * The kernel without its store and schema-building side (no mongoose, no type-graphql): what the
 * gateway loads (`@csp/kernel/edge`). Services import the whole kernel (`@csp/kernel`).
 * `gateway/test/edge-imports.test.ts` fails when the gateway loads mongoose again.
 */
export * from './runtime/config';
export * from './runtime/request-context';
export * from './runtime/logger';
export * from './runtime/metrics';
export * from './runtime/operation-label';
export * from './runtime/trace-context';
export * from './runtime/tracing';
export * from './runtime/http-host';
export * from './runtime/shutdown';
export * from './runtime/topology';
export * from './stores/redis';
export * from './stores/redis-keys';
export * from './auth/caller';
export * from './auth/tokens';
export * from './auth/internal-proof';
export * from './auth/permissions';
export * from './graph/errors';
export * from './graph/context';
export * from './graph/limits';
export * from './graph/field-tags';
export * from './graph/metrics-plugin';
export * from './graph/schema-file';
export * from './events/read-your-writes';
export * from './ops/queue-discovery';
export * from './ops/queue-metrics';
