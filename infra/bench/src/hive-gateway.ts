import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway';
// The kernel's light modules alone (no stores, no tracing) in this process.
import { INTERNAL_PROOF_HEADER, signInternal } from '@csp/kernel/auth/internal-proof';
import { REQUEST_ID_HEADER } from '@csp/kernel/runtime/request-context';
import { SUBGRAPHS, subgraphUrlEnv } from '@csp/kernel/runtime/topology';

/**
 * Hive Gateway (`@graphql-hive/gateway`) as the bench's peer: its own process, serving our
 * supergraph (gateway/supergraph.graphql) against the same subgraph processes as our gateway.
 * It forwards what our gateway forwards (the caller's Authorization, the request id, and the
 * internal proof that subgraphs require, signed per subgraph call with the shared secret).
 * HIVE_DEDUPE=on turns on its in-flight deduplication of identical incoming requests per caller.
 * Only the bench starts this: Hive is a bench dependency, never part of the graph.
 */
const env = process.env;
const secret = env.INTERNAL_SECRET ?? '';
if (secret.length < 32) throw new Error('INTERNAL_SECRET must be set (the one the subgraphs share)');

// The supergraph names the default ports; point each subgraph at the one this bench started.
let supergraph = readFileSync(env.SUPERGRAPH_PATH ?? '', 'utf8');
for (const s of SUBGRAPHS) {
  const url = env[subgraphUrlEnv(s.name)];
  if (url) supergraph = supergraph.replace(new RegExp(`(@join__graph\\(name: "${s.name}", url: ")[^"]*`), `$1${url}`);
}

const gateway = createGatewayRuntime({
  supergraph,
  logging: false,
  graphqlEndpoint: '/graphql',
  landingPage: false,
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => {
      const authorization = request.headers.get('authorization') ?? undefined;
      return {
        authorization,
        [REQUEST_ID_HEADER]: request.headers.get(REQUEST_ID_HEADER) ?? undefined,
        [INTERNAL_PROOF_HEADER]: signInternal(secret, authorization),
      };
    },
  },
  // Keyed by the caller (its Authorization) besides the operation and variables, as ours.
  inboundInflightRequestDeduplication: env.HIVE_DEDUPE === 'on' ? { shouldIncludeHeader: (name) => name === 'authorization' } : false,
});

const server = createServer(gateway);
server.listen(Number(env.PORT), '127.0.0.1', () => console.log(`hive gateway listening on ${env.PORT}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
