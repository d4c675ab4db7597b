import { isDuplicateKey, newId, type AggregateLocks, type Clock } from '@csp/kernel';
import type { Model } from 'mongoose';
import { CloudError, type CloudConnector, type CloudOp } from './connector';
import { SIM_CLOUD, type SimCloudSubscriptionDoc, type SimServiceDoc } from './sim-cloud.model';

/** How the simulated cloud misbehaves. Env gives the defaults; tests change them per process. */
export interface SimBehaviour {
  /** Every call answers this much later (after its effect). */
  latencyMs: number;
  /** Probability (0..1) that a call fails before doing anything. */
  failureRate: number;
  /** The first N calls of each operation fail. */
  failFirst: number;
  /** Calls do their effect, then do not answer for this long (the caller's timeout fires). */
  hangMs: number;
  /** Only these operations misbehave (all when unset). */
  ops?: CloudOp[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A stand-in for the vendor's cloud with its own state in the service's store. Creating a
 * subscription claims a unique key on the platform subscription id, so a retry after a crash
 * finds the cloud subscription it made instead of making a second one.
 */
export class SimulatedCloud implements CloudConnector {
  private behaviour: SimBehaviour;
  private readonly calls = new Map<CloudOp, number>();

  constructor(
    private readonly model: Model<SimCloudSubscriptionDoc>,
    private readonly clock: Clock,
    private readonly locks: AggregateLocks,
    behaviour: SimBehaviour,
  ) {
    this.behaviour = { ...behaviour };
  }

  /** Changes this process's behaviour (tests); the call counters restart. */
  simulate(b: Partial<SimBehaviour>): void {
    this.behaviour = { ...this.behaviour, ...b };
    this.calls.clear();
  }

  private async call<T>(op: CloudOp, effect: () => Promise<T>): Promise<T> {
    const b = this.behaviour;
    const applies = !b.ops || b.ops.includes(op);
    const n = (this.calls.get(op) ?? 0) + 1;
    this.calls.set(op, n);
    if (applies && n <= b.failFirst) throw new CloudError(`simulated cloud: ${op} failed (call ${n} of the first ${b.failFirst} fail)`);
    if (applies && b.failureRate > 0 && Math.random() < b.failureRate) throw new CloudError(`simulated cloud: ${op} failed (random failure)`);
    const result = await effect();
    if (applies && b.hangMs) await sleep(b.hangMs);
    if (applies && b.latencyMs) await sleep(b.latencyMs);
    return result;
  }

  createSubscription(req: { subscriptionId: string; customerId: string; offerId: string; quantity: number }) {
    return this.call('createSubscription', async () => {
      try {
        const cloudId = newId('azsub');
        await this.model.create({
          _id: cloudId,
          subscriptionId: req.subscriptionId,
          customerId: req.customerId,
          offerId: req.offerId,
          quantity: req.quantity,
          status: 'ACTIVE',
          createdAt: this.clock.now(),
          services: [],
        });
        return { cloudId, created: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await this.model.findOne({ subscriptionId: req.subscriptionId }, { _id: 1 }).lean();
        return { cloudId: existing!._id, created: false };
      }
    });
  }

  changeQuantity(subscriptionId: string, quantity: number) {
    return this.call('changeQuantity', () => this.update(subscriptionId, (d) => void (d.quantity = quantity)));
  }

  suspend(subscriptionId: string) {
    return this.call('suspend', () =>
      this.update(subscriptionId, (d) => {
        d.status = 'SUSPENDED';
        this.stopAll(d);
      }),
    );
  }

  reactivate(subscriptionId: string) {
    return this.call('reactivate', () => this.update(subscriptionId, (d) => void (d.status = 'ACTIVE')));
  }

  cancel(subscriptionId: string) {
    return this.call('cancel', () =>
      this.update(
        subscriptionId,
        (d) => {
          d.status = 'CANCELLED';
          this.stopAll(d);
        },
        true,
      ),
    );
  }

  createService(subscriptionId: string, name: string, meterId: string) {
    return this.call('createService', () =>
      this.update(subscriptionId, (d) => {
        const s = d.services.find((x) => x.name === name && x.status !== 'DELETED');
        if (!s) d.services.push({ name, meterId, status: 'STOPPED', runs: [] });
      }),
    );
  }

  startService(subscriptionId: string, name: string) {
    return this.call('startService', () =>
      this.update(subscriptionId, (d) => {
        const s = this.service(d, name);
        if (s.status === 'RUNNING') return;
        s.status = 'RUNNING';
        s.runs.push({ from: this.clock.now(), to: null });
      }),
    );
  }

  stopService(subscriptionId: string, name: string) {
    return this.call('stopService', () => this.update(subscriptionId, (d) => this.stop(this.service(d, name))));
  }

  deleteService(subscriptionId: string, name: string) {
    return this.call('deleteService', () =>
      this.update(subscriptionId, (d) => {
        const s = d.services.find((x) => x.name === name && x.status !== 'DELETED');
        if (!s) return;
        this.stop(s);
        s.status = 'DELETED';
      }),
    );
  }

  private service(d: SimCloudSubscriptionDoc, name: string): SimServiceDoc {
    const s = d.services.find((x) => x.name === name && x.status !== 'DELETED');
    if (!s) throw new CloudError(`simulated cloud: no service ${name} in subscription ${d.subscriptionId}`);
    return s;
  }

  private stop(s: SimServiceDoc) {
    if (s.status !== 'RUNNING') return;
    s.status = 'STOPPED';
    const open = s.runs.find((r) => !r.to);
    if (open) open.to = this.clock.now();
  }

  private stopAll(d: SimCloudSubscriptionDoc) {
    for (const s of d.services) this.stop(s);
  }

  /** Read-modify-write of one cloud subscription under its lock. */
  private async update(subscriptionId: string, change: (d: SimCloudSubscriptionDoc) => void, missingOk = false): Promise<void> {
    await this.locks.hold(SIM_CLOUD, subscriptionId, async () => {
      const doc = await this.model.findOne({ subscriptionId }).lean<SimCloudSubscriptionDoc>();
      if (!doc) {
        if (missingOk) return;
        throw new CloudError(`simulated cloud: no cloud subscription for ${subscriptionId}`);
      }
      change(doc);
      await this.model.updateOne({ _id: doc._id }, { $set: { status: doc.status, quantity: doc.quantity, services: doc.services } });
    });
  }
}
