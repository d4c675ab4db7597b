import type { Redis } from 'ioredis';

/**
 * Ends the provisioning worker's wait for an OWNER grant on the write that puts it in force,
 * instead of on the endpoint's next look at the store. The consumer that seeds the grant may run
 * in another replica than the request waiting for it, so a seeded grant is announced over Redis
 * pub/sub too (the publishing process hears its own message as well: a second wake-up is harmless).
 */
export class OwnerGrantSignal {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
  ) {}

  /** Listens on `subscriber` (a connection of its own: a subscribed connection runs no commands). */
  async start(subscriber: Redis): Promise<void> {
    subscriber.on('message', (channel: string, subscriptionId: string) => {
      if (channel === this.channel) this.fire(subscriptionId);
    });
    await subscriber.subscribe(this.channel);
  }

  /** The grant of `subscriptionId` was just put in force. */
  async seeded(subscriptionId: string): Promise<void> {
    this.fire(subscriptionId);
    // A lost message only slows the other replica's waiter down to its safety re-check.
    await this.redis.publish(this.channel, subscriptionId).catch(() => undefined);
  }

  /**
   * Starts listening for `subscriptionId` before the caller looks at the store (so a grant seeded
   * between the look and the wait is not missed). `next(ms)` resolves on a wake-up or after `ms`.
   */
  listen(subscriptionId: string): { next(ms: number): Promise<void>; close(): void } {
    let woken = false;
    let resolve: (() => void) | undefined;
    const wake = () => {
      woken = true;
      resolve?.();
    };
    const set = this.waiters.get(subscriptionId) ?? new Set();
    set.add(wake);
    this.waiters.set(subscriptionId, set);
    return {
      next: (ms) =>
        new Promise<void>((r) => {
          if (woken) {
            woken = false;
            return r();
          }
          const timer = setTimeout(() => done(), ms);
          const done = () => {
            clearTimeout(timer);
            resolve = undefined;
            woken = false;
            r();
          };
          resolve = done;
        }),
      close: () => {
        set.delete(wake);
        if (!set.size && this.waiters.get(subscriptionId) === set) this.waiters.delete(subscriptionId);
        resolve?.();
      },
    };
  }

  private fire(subscriptionId: string): void {
    for (const wake of this.waiters.get(subscriptionId) ?? []) wake();
  }
}
