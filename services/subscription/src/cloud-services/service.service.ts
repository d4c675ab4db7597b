import { event } from '@csp/events';
import { badInput, conflict, notFound, type Clock } from '@csp/kernel';
import type { CloudConnector } from '../cloud/connector';
import type { ReadModels } from '../readmodel/readmodel.models';
import type { ServiceEntry, SubscriptionDoc } from '../subscriptions/subscription.model';
import type { SubscriptionStore } from '../subscriptions/subscription.store';

/** Same alphabet access-control accepts in a service scope path. */
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,79}$/;

function requireUsageActive(doc: SubscriptionDoc) {
  if (doc.billingType !== 'USAGE') throw badInput(`Subscription ${doc._id} is a LICENSE subscription: services run only in usage (Azure) subscriptions.`, 'subscriptionId');
  if (doc.status !== 'ACTIVE') throw badInput(`Subscription ${doc._id} is ${doc.status}: services can be managed only while it is ACTIVE.`, 'subscriptionId');
}

function find(doc: SubscriptionDoc, name: string): ServiceEntry {
  const s = doc.services.find((x) => x.name === name);
  if (!s) throw notFound(`Service ${name} in subscription`, doc._id);
  return s;
}

/** Named services inside an ACTIVE usage subscription, each bound to a meter of its market. */
export class CloudServiceService {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly cloud: CloudConnector,
    private readonly rm: ReadModels,
    private readonly clock: Clock,
  ) {}

  async create(subscriptionId: string, name: string, meterId: string): Promise<ServiceEntry> {
    if (!NAME_RE.test(name)) throw badInput('name must be 1-80 letters, digits, ".", "_", "~" or "-", starting with a letter or digit.', 'name');
    const doc = await this.store.change(subscriptionId, async (d) => {
      requireUsageActive(d);
      if (d.services.some((s) => s.name === name)) throw conflict(`Subscription ${d._id} already has a service named ${name}.`);
      if (!(await this.rm.meters.exists({ _id: `${d.market}:${meterId}` }))) {
        throw badInput(`Meter ${meterId} is not on the ${d.market} rate card.`, 'meterId');
      }
      await this.cloud.createService(d._id, name, meterId);
      const entry: ServiceEntry = { name, meterId, status: 'STOPPED', createdAt: this.clock.now() };
      return { set: { services: [...d.services, entry] } };
    });
    return find(doc, name);
  }

  async start(subscriptionId: string, name: string): Promise<ServiceEntry> {
    return this.setStatus(subscriptionId, name, 'RUNNING');
  }

  async stop(subscriptionId: string, name: string): Promise<ServiceEntry> {
    return this.setStatus(subscriptionId, name, 'STOPPED');
  }

  /** Deleting a running service stops it first (its usage so far stays billable). */
  async delete(subscriptionId: string, name: string): Promise<ServiceEntry> {
    let removed!: ServiceEntry;
    await this.store.change(subscriptionId, async (d) => {
      requireUsageActive(d);
      removed = find(d, name);
      await this.cloud.deleteService(d._id, name);
      return {
        set: { services: d.services.filter((s) => s.name !== name) },
        events:
          removed.status === 'RUNNING'
            ? (at) => [event('service.stopped', { subscriptionId: d._id, name, meterId: removed.meterId, at: at.toISOString() }, this.clock)]
            : undefined,
      };
    });
    return { ...removed, status: 'STOPPED' };
  }

  private async setStatus(subscriptionId: string, name: string, status: ServiceEntry['status']): Promise<ServiceEntry> {
    const doc = await this.store.change(subscriptionId, async (d) => {
      requireUsageActive(d);
      const s = find(d, name);
      if (s.status === status) return null;
      await (status === 'RUNNING' ? this.cloud.startService(d._id, name) : this.cloud.stopService(d._id, name));
      return {
        set: { services: d.services.map((x) => (x.name === name ? { ...x, status } : x)) },
        events: (at) => [
          event(status === 'RUNNING' ? 'service.started' : 'service.stopped', { subscriptionId: d._id, name, meterId: s.meterId, at: at.toISOString() }, this.clock),
        ],
      };
    });
    return find(doc, name);
  }
}
