/**
 * The vendor's cloud as the platform talks to it. Every call is idempotent for one platform
 * subscription id: a retried create after a crash finds the cloud subscription it made before.
 */
export interface CloudConnector {
  createSubscription(req: { subscriptionId: string; customerId: string; offerId: string; quantity: number }): Promise<{ cloudId: string; created: boolean }>;
  changeQuantity(subscriptionId: string, quantity: number): Promise<void>;
  suspend(subscriptionId: string): Promise<void>;
  reactivate(subscriptionId: string): Promise<void>;
  cancel(subscriptionId: string): Promise<void>;
  createService(subscriptionId: string, name: string, meterId: string): Promise<void>;
  startService(subscriptionId: string, name: string): Promise<void>;
  stopService(subscriptionId: string, name: string): Promise<void>;
  deleteService(subscriptionId: string, name: string): Promise<void>;
}

export type CloudOp = keyof CloudConnector;

export class CloudError extends Error {}

/** A cloud call that does not answer in time is a failure (the effect may still have happened). */
export function withCloudTimeout<T>(op: string, ms: number, p: Promise<T>): Promise<T> {
  if (!ms) return p;
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new CloudError(`cloud call ${op} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

/** Wraps every call of a connector with the timeout. */
export function timed(connector: CloudConnector, ms: number): CloudConnector {
  return new Proxy(connector, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => withCloudTimeout(String(prop), ms, v.apply(target, args));
    },
  });
}
