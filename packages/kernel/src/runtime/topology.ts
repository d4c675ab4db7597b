/** The subgraphs of the one graph, with their default local ports. */
export const SUBGRAPHS = [
  { name: 'identity', port: 4001 },
  { name: 'catalog', port: 4002 },
  { name: 'subscription', port: 4003 },
  { name: 'access-control', port: 4004 },
  { name: 'billing', port: 4005 },
  { name: 'support', port: 4006 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

/** Env variable that points the gateway at a subgraph, e.g. ACCESS_CONTROL_URL. */
export const subgraphUrlEnv = (name: SubgraphName) => `${name.toUpperCase().replace(/-/g, '_')}_URL`;

export const GATEWAY_PORT = 4000;

/**
 * Bulk usage ingestion: the gateway's public URL (POST, NDJSON or CSV body) and billing's
 * internal endpoint it streams the body to.
 */
export const USAGE_STREAM_PUBLIC_PATH = '/usage/records';
export const USAGE_STREAM_PATH = '/internal/usage/records';
