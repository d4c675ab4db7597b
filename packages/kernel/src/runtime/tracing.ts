import { z } from 'zod';
import { httpUrlVar } from './config';

/**
 * OpenTelemetry for one process: spans for incoming and outgoing HTTP and fetch (so W3C trace context
 * crosses gateway → subgraphs → access-control), express, GraphQL, MongoDB and ioredis, plus
 * Apollo Gateway's own spans (it uses the global tracer) and the job spans of trace-context.ts.
 *
 * Each entry point calls startTracing() before it loads anything else, so the instrumentations
 * can patch the modules as they are required. Off unless OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: then none of the SDK is even loaded. The exporter
 * reads the standard OTEL_* variables (headers, protocol, OTEL_BSP_* batching).
 */
/** The endpoints that turn tracing on, checked before it starts ("" counts as unset, as for the SDK). */
export const tracingEnv = Object.fromEntries(
  ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'].map((name) => [
    name,
    z.preprocess((v) => (v === '' ? undefined : v), httpUrlVar('an http(s) URL of an OTLP collector').optional()),
  ]),
);

let provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> } | undefined;

export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.OTEL_SDK_DISABLED !== 'true' && Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (provider || !tracingEnabled(env)) return Boolean(provider);
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { BatchSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
  const { MongoDBInstrumentation } = require('@opentelemetry/instrumentation-mongodb') as typeof import('@opentelemetry/instrumentation-mongodb');
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  /* eslint-enable @typescript-eslint/no-require-imports */

  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const tracerProvider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  api.trace.setGlobalTracerProvider(tracerProvider);
  registerInstrumentations({
    tracerProvider,
    instrumentations: [
      // Probes and scrapes are not traces anyone wants.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(health|ready|metrics)\b/.test(req.url ?? '') }),
      // Node's fetch (the gateway's subgraph calls, access-control decisions) is undici, not http.
      new UndiciInstrumentation(),
      new ExpressInstrumentation(),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
      new MongoDBInstrumentation(),
      // BullMQ's own polling (blocking pops, heartbeats) would drown the traces: only commands inside a trace.
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  provider = tracerProvider;
  return true;
}

/** Sends what is buffered (graceful shutdown calls it last). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
  provider = undefined;
}
