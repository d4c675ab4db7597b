import { GraphQLError } from 'graphql';
import { Agent, request } from 'undici';
import { AWAIT_HEADER } from '@csp/kernel/edge';

/** What the gateway needs of a subgraph's HTTP answer (a tiny subset of a fetch Response). */
export interface SubgraphAnswer {
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  text: string;
}

/**
 * Subgraph calls over a pooled undici client: keep-alive sockets (a bounded pool per subgraph)
 * instead of Node's `fetch` with a fresh timeout signal and its extra objects per call; and
 * identical in-flight queries shared. Two calls are identical when they go to the same subgraph
 * with the same caller (its bearer token), the same writes to await (read-your-writes: a call that
 * must see a write never takes the answer of one that need not) and the same body (query and
 * variables) — never across callers, never for mutations. Each waiter parses its own copy.
 */
export class SubgraphClient {
  private readonly agent: Agent;
  private readonly inFlight = new Map<string, Promise<SubgraphAnswer>>();
  /** Calls answered by another caller's identical in-flight call (for metrics and tests). */
  shared = 0;

  constructor(
    private readonly opts: { timeoutMs: number; connections?: number; dedupe?: boolean },
  ) {
    this.agent = new Agent({
      connections: opts.connections ?? 64,
      keepAliveTimeout: 30_000,
      // A subgraph that hangs fails the call after the timeout (SERVICE_UNAVAILABLE upstream).
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
  }

  post(url: string, headers: Record<string, string>, body: string): Promise<SubgraphAnswer> {
    if (this.opts.dedupe === false || !isQuery(body)) return this.send(url, headers, body);
    const key = `${url}\n${headers.authorization ?? ''}\n${headers[AWAIT_HEADER] ?? ''}\n${body}`;
    const running = this.inFlight.get(key);
    if (running) {
      this.shared++;
      return running;
    }
    const p = this.send(url, headers, body).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private async send(url: string, headers: Record<string, string>, body: string): Promise<SubgraphAnswer> {
    const res = await request(url, { method: 'POST', headers, body, dispatcher: this.agent });
    const text = await res.body.text();
    const h = res.headers;
    return {
      status: res.statusCode,
      statusText: String(res.statusCode),
      url,
      headers: { get: (name) => (v => (Array.isArray(v) ? v.join(', ') : (v ?? null)))(h[name.toLowerCase()]) },
      text,
    };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Only queries are shared: `{"query":"query …` or `{"query":"{…` as the gateway sends them. */
const isQuery = (body: string) => body.startsWith('{"query":"query') || body.startsWith('{"query":"{');

/** The answer as the gateway's data source returns it, or the error RemoteGraphQLDataSource would throw. */
export function parseAnswer(a: SubgraphAnswer): Record<string, unknown> {
  const json = (a.headers.get('content-type') ?? '').includes('json');
  let body: unknown = a.text;
  if (json) body = JSON.parse(a.text);
  if (a.status < 200 || a.status > 299) {
    throw new GraphQLError(`${a.status}: ${a.statusText}`, {
      extensions: {
        response: { url: a.url, status: a.status, statusText: a.statusText, body },
        ...(a.status === 401 ? { code: 'UNAUTHENTICATED' } : a.status === 403 ? { code: 'FORBIDDEN' } : {}),
      },
    });
  }
  if (!body || typeof body !== 'object') throw new Error(`Expected JSON response body, but received: ${String(body).slice(0, 200)}`);
  return { ...(body as Record<string, unknown>), http: { headers: a.headers } };
}
