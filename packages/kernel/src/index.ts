import 'reflect-metadata';

// Everything the gateway may load too (no store drivers), then the store and schema side.
export * from './edge';
export * from './runtime/clock';
export * from './runtime/ids';
export * from './runtime/service';
export * from './stores/mongo';
export * from './stores/lock';
export * from './stores/doc-schema';
export * from './auth/permissions';
export * from './graph/scalars';
export * from './graph/connection';
export * from './graph/graphql-enum';
export * from './graph/subgraph';
export * from './events/envelope';
export * from './events/queues';
export * from './events/relay';
export * from './events/outbox-signal';
export * from './events/consumer';
export * from './events/projection';
export * from './runtime/subgraph-service';
export * from './runtime/time-trigger';
export * from './runtime/sweeper';
export * from './runtime/crash-points';
export * from './ops/audit';
export * from './ops/audit-scope';
export { auditAttachPlugin } from './ops/audit-attach';
export * from './rules';
