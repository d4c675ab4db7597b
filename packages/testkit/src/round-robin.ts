import { createServer, request, type Server } from 'node:http';

/**
 * A tiny load balancer for tests and `REPLICAS=… make up`: each request goes to the next of `targets` in turn, headers
 * and body passed through both ways, so that a client's consecutive requests land on different
 * replicas (what read-your-writes must survive). A target that refuses the connection answers 502.
 */
export interface RoundRobin {
  url: string;
  /** Requests forwarded to each target so far, in the order of `targets`. */
  counts: number[];
  close(): Promise<void>;
}

export async function roundRobinProxy(targets: string[], port = 0): Promise<RoundRobin> {
  const counts = targets.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
    const i = next;
    next = (next + 1) % targets.length;
    counts[i]++;
    const target = new URL(req.url ?? '/', targets[i]);
    const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`round-robin: ${targets[i]}: ${err.message}`);
    });
    req.pipe(upstream);
  });
  // Keep-alive connections from the clients are fine: the choice is per request, not per socket.
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
