import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import express, { type Express } from 'express';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import type { TokenVerifier } from '../auth/tokens';
import type { Logger } from '../runtime/logger';
import { currentRequest, currentRequestId } from '../runtime/request-context';
import { AWAIT_HEADER, WRITTEN_HEADER } from '../events/read-your-writes';
import type { BaseContext } from './context';
import { AppError, formatError } from './errors';
import { ARMOR_LIMITS, queryLimits, rootFieldCapPlugin } from './limits';
import { metricsPlugin } from './metrics-plugin';
import { scalarsMap } from './scalars';

const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@interfaceObject", "@tag"])`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReferenceResolvers = Record<string, { __resolveReference: (ref: any, ctx: any) => unknown }>;

/**
 * type-graphql classes → a Federation 2 subgraph schema. Entities that this subgraph only
 * resolves by reference go into `orphanedTypes`; their `__resolveReference` into `references`.
 */
export async function buildSubgraph(
  options: Omit<BuildSchemaOptions, 'skipCheck' | 'scalarsMap'>,
  references: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, scalarsMap, skipCheck: true, validate: false });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [type, ref] of Object.entries(references)) resolvers[type] = { ...(resolvers[type] ?? {}), ...ref };
  return buildSubgraphSchema([{ typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`), resolvers: resolvers as never }]);
}


export interface MountOptions<C extends BaseContext> {
  app: Express;
  schema: GraphQLSchema;
  verify: TokenVerifier;
  logger: Logger;
  /** Adds per-request state (dataloaders) to the base context. */
  context: (base: BaseContext) => C | Promise<C>;
  production?: boolean;
  plugins?: ApolloServerPlugin<BaseContext>[];
  /** Read-your-writes: waits until the events named in the request's x-csp-await are applied here. */
  awaitWrites?: (header: string | undefined) => Promise<void>;
}

/** Tells the gateway which events this request wrote (read-your-writes), audit records aside. */
export function writtenEventsPlugin(skipTypes: ReadonlySet<string>): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const written = (currentRequest()?.written ?? []).filter((ref) => !skipTypes.has(ref.slice(0, ref.indexOf(':'))));
          if (written.length) response.http.headers.set(WRITTEN_HEADER, written.join(','));
        },
      };
    },
  };
}

/** Mounts the subgraph at /graphql; returns the Apollo server so shutdown can stop it. */
export async function mountSubgraph<C extends BaseContext>(opts: MountOptions<C>): Promise<ApolloServer<C>> {
  const limits = queryLimits(!!opts.production);
  const server = new ApolloServer<C>({
    schema: opts.schema,
    introspection: !opts.production,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: ARMOR_LIMITS.maxTokens },
    validationRules: limits.validationRules,
    formatError: (formatted, error) => formatError(formatted, error, (err) => opts.logger.error({ err }, 'unexpected error')),
    plugins: [...(limits.plugins as ApolloServerPlugin<C>[]), rootFieldCapPlugin(), metricsPlugin() as ApolloServerPlugin<C>, ApolloServerPluginInlineTraceDisabled(), ...((opts.plugins ?? []) as ApolloServerPlugin<C>[])],
  });
  await server.start();
  opts.app.use(
    '/graphql',
    express.json({ limit: '5mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const authorization = req.header('authorization');
        const caller = await opts.verify(authorization).catch((err: unknown) => {
          // A bad token is the client's mistake: 401, not the 500 a context error would be.
          if (err instanceof AppError) err.extensions.http = { status: 401 };
          throw err;
        });
        const awaited = req.header(AWAIT_HEADER);
        const request = currentRequest();
        if (request && awaited) request.awaited = awaited; // passed on to internal calls (access-client)
        await opts.awaitWrites?.(awaited);
        return opts.context({ caller, authorization, requestId: currentRequestId() ?? 'none', clientAddress: req.ip });
      },
    }),
  );
  return server;
}
