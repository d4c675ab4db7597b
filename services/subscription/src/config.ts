import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number({ invalid_type_error: 'must be a number of milliseconds' }).int().min(0).default(fallback);

/** The simulated vendor cloud: how slow and how unreliable it is (tests and demos turn the knobs). */
export const simCloudEnv = {
  SIM_CLOUD_LATENCY_MS: ms(0),
  SIM_CLOUD_FAILURE_RATE: z.coerce.number({ invalid_type_error: 'must be a number from 0 to 1' }).min(0).max(1).default(0),
  SIM_CLOUD_FAIL_FIRST: z.coerce.number().int().min(0).default(0),
  SIM_CLOUD_HANG_MS: ms(0),
  /** A cloud call that has not answered by then counts as failed. */
  CLOUD_TIMEOUT_MS: ms(30_000),
};

/** The subscription subgraph's settings on top of the runtime's. */
export const subscriptionEnv = {
  ...simCloudEnv,
  ACCESS_CONTROL_URL: z.string().url('must be the http(s) base URL of access-control').default('http://127.0.0.1:4004'),
  PROVISIONING_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  PROVISIONING_BACKOFF_MS: ms(2_000),
};

/** The provisioning worker's settings. */
export const workerEnv = {
  ...simCloudEnv,
  PROVISIONING_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  /** How often BullMQ looks for jobs whose worker died, and how long a job lock lives. */
  WORKER_STALLED_INTERVAL_MS: ms(30_000),
  WORKER_LOCK_MS: ms(30_000),
  USAGE_TRIGGER_POLL_MS: ms(15_000),
};
