// The kernel's config module alone: runProcess checks these before the app (and the kernel) load.
import { fractionVar, httpUrlVar, msVar, wholeNumberVar, type ProcessSpec } from '@csp/kernel/runtime/config';

const HOUR_MS = 3_600_000;

/** The simulated vendor cloud: how slow and how unreliable it is (tests and demos turn the knobs). */
export const simCloudEnv = {
  SIM_CLOUD_LATENCY_MS: msVar(0, 0, HOUR_MS),
  SIM_CLOUD_FAILURE_RATE: fractionVar(0),
  SIM_CLOUD_FAIL_FIRST: wholeNumberVar(0, 0, 1_000_000),
  SIM_CLOUD_HANG_MS: msVar(0, 0, HOUR_MS),
  /** A cloud call that has not answered by then counts as failed. */
  CLOUD_TIMEOUT_MS: msVar(30_000, 0, HOUR_MS),
};

/**
 * Access-control: it decides customers' access for the subgraph, and tells the worker when a
 * subscription's OWNER grant is in force (only then is it reported ACTIVE).
 */
export const accessControlEnv = {
  ACCESS_CONTROL_URL: httpUrlVar('the http(s) base URL of access-control').default('http://127.0.0.1:4004'),
};

/** The subscription subgraph's settings on top of the runtime's (validated with them at start). */
export const subscriptionEnv = {
  ...simCloudEnv,
  ...accessControlEnv,
  PROVISIONING_ATTEMPTS: wholeNumberVar(5, 1, 50),
  PROVISIONING_BACKOFF_MS: msVar(2_000, 0, HOUR_MS),
};

/** The provisioning worker's settings on top of the runtime's (validated with them at start). */
export const workerEnv = {
  ...simCloudEnv,
  ...accessControlEnv,
  PROVISIONING_CONCURRENCY: wholeNumberVar(8, 1, 100),
  /** How often BullMQ looks for jobs whose worker died, and how long a job lock lives. */
  WORKER_STALLED_INTERVAL_MS: msVar(30_000, 0, HOUR_MS),
  WORKER_LOCK_MS: msVar(30_000, 0, HOUR_MS),
  USAGE_TRIGGER_POLL_MS: msVar(15_000, 0, 24 * HOUR_MS),
};

export const subscriptionProcess = { name: 'subscription', defaultPort: 4003, defaultDb: 'csp_subscription', settings: subscriptionEnv } satisfies ProcessSpec;
export const subscriptionWorkerProcess = { name: 'subscription-worker', defaultPort: 4013, defaultDb: 'csp_subscription', settings: workerEnv } satisfies ProcessSpec;
