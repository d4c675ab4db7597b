import { redisKeys } from '../stores/redis-keys';
/** Queue and key naming in one place, so workers, dashboards and tests agree. */
export const eventQueueName = (consumer: string) => `events-${consumer}`;

/** BullMQ's own key prefix inside this deployment's Redis prefix. */
export const bullPrefix = (redisPrefix: string) => redisKeys(redisPrefix).bull;

export const defaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential' as const, delay: 500 },
  // Kept for a week so a re-publish with the same job id is ignored and the dashboard shows history.
  removeOnComplete: { age: 7 * 24 * 3600, count: 50_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};
