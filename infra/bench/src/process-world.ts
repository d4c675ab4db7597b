import { spawn } from 'node:child_process';
import path from 'node:path';
import { SUBGRAPHS, subgraphUrlEnv } from '@csp/kernel/runtime/topology';
import { contractOperation, freePort, graphql, OPERATOR, REPO_ROOT, startProcesses, type ProcessStack, type Stack } from '@csp/testkit';
import { answered } from './measure';
import { buildBenchWorld, type BenchWorld } from './world';

/**
 * The processes `make up` starts (every subgraph, both workers and the gateway, one OS process
 * each) with the bench's world built through the gateway: what the CustomerOverview and peer
 * gateway benchmarks load, so a gateway process is measured on its own.
 */
export interface ProcessWorld {
  ps: ProcessStack;
  world: BenchWorld;
  /** The contract's CustomerOverview through the gateway at `url`, for customer `i` (round robin). */
  overview(url: string, i: number): Promise<void>;
  /** One more gateway of ours (e.g. SUBGRAPH_DEDUPE=off) on the same subgraphs. */
  ourGateway(env?: Record<string, string>): Promise<string>;
  /** Hive Gateway on the same supergraph and subgraphs, its own process. */
  hiveGateway(dedupe: boolean): Promise<string>;
  stop(): Promise<void>;
}

export async function startProcessWorld(customers = 100): Promise<ProcessWorld> {
  const ps = await startProcesses('bench-co');
  const extraStops: Array<() => Promise<void>> = [];
  try {
    const gql = (query: string, variables?: Record<string, unknown>, token?: string) => graphql(ps.gatewayUrl, query, variables, { token });
    const operatorToken = async () =>
      (await gql('mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: OPERATOR.email, p: OPERATOR.password })).data.login
        .accessToken as string;
    // buildBenchWorld asks only these two of a stack.
    const world = await buildBenchWorld({ gql, operatorToken } as unknown as Stack, customers);
    const query = contractOperation('CustomerOverview').source;
    const subgraphEnv = Object.fromEntries(SUBGRAPHS.map((s) => [subgraphUrlEnv(s.name), `${ps.baseUrl(s.name)}/graphql`]));
    return {
      ps,
      world,
      async overview(url, i) {
        answered(await graphql(url, query, { id: world.customerIds[i % world.customerIds.length] }, { token: world.partnerToken }), 'CustomerOverview');
      },
      async ourGateway(env = {}) {
        const instance = await ps.startReplica('gateway', { ...subgraphEnv, RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_RATE_LIMIT_PER_MINUTE: '1000000', ...env });
        return `${ps.instanceUrl(instance)}/graphql`;
      },
      async hiveGateway(dedupe) {
        const port = await freePort();
        const child = spawn(process.execPath, [path.join(__dirname, 'hive-gateway.js')], {
          env: {
            PATH: process.env.PATH,
            PORT: String(port),
            INTERNAL_SECRET: ps.env.INTERNAL_SECRET,
            SUPERGRAPH_PATH: path.join(REPO_ROOT, 'gateway/supergraph.graphql'),
            HIVE_DEDUPE: dedupe ? 'on' : 'off',
            ...subgraphEnv,
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        const exited = new Promise<void>((res) => child.once('exit', () => res()));
        extraStops.push(async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        });
        const url = `http://127.0.0.1:${port}/graphql`;
        for (let i = 0; i < 300; i++) {
          if (child.exitCode !== null) throw new Error(`hive gateway exited with ${child.exitCode}`);
          if (await fetch(`http://127.0.0.1:${port}/healthcheck`).then((r) => r.ok, () => false)) return url;
          await new Promise((res) => setTimeout(res, 100)); // polling its readiness, not synchronising a write
        }
        throw new Error('hive gateway did not become ready in 30 s');
      },
      async stop() {
        await Promise.all(extraStops.map((s) => s()));
        await ps.stop();
      },
    };
  } catch (err) {
    await Promise.all(extraStops.map((s) => s()));
    await ps.stop();
    throw err;
  }
}
