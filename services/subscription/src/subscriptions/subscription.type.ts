import { Connection, graphqlEnum, payload } from '@csp/kernel';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { ProvisioningState } from '../provisioning/provisioning.queue';
import { serviceScope } from './facts';
import type { ServiceEntry, ServiceStatus, SubscriptionDoc, SubscriptionStatus } from './subscription.model';

export const SubscriptionStatusEnum = graphqlEnum('SubscriptionStatus', ['PROVISIONING', 'PENDING_FULFILMENT', 'ACTIVE', 'SUSPENDED', 'CANCELLED', 'FAILED'], {
  description: "PENDING_FULFILMENT: a MANUAL partner offer's subscription, waiting until its partner fulfils it (fulfilSubscription).",
});

export const ProvisioningStateEnum = graphqlEnum('ProvisioningState', ['WAITING', 'ACTIVE', 'COMPLETED', 'FAILED', 'DELAYED'], {
  description: "The provisioning job's state in the queue.",
});

export const CloudServiceStatusEnum = graphqlEnum('CloudServiceStatus', ['STOPPED', 'RUNNING']);

@ObjectType({ description: 'One state transition of a subscription.' })
export class SubscriptionHistoryEntry {
  @Field() at!: Date;
  @Field(() => SubscriptionStatusEnum) status!: SubscriptionStatus;
  @Field({ description: 'User id of who did it, or system:provisioning.' }) actor!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@ObjectType({ description: 'The provisioning job of a subscription, live from the queue.' })
export class Provisioning {
  @Field(() => ProvisioningStateEnum) state!: ProvisioningState;
  @Field(() => Int, { description: 'Attempts made so far.' }) attempts!: number;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' }) failedReason?: string | null;
}

@ObjectType('CloudService', { description: 'A named service inside a usage (Azure) subscription, bound to a meter.' })
export class CloudService {
  @Field() name!: string;
  @Field(() => ID) meterId!: string;
  @Field(() => CloudServiceStatusEnum) status!: ServiceStatus;
  @Field({ description: 'Role assignments on this scope apply to this service only.' }) scope!: string;
  @Field() createdAt!: Date;
}

export const toService = (s: Pick<SubscriptionDoc, '_id' | 'customerId'>, e: ServiceEntry): CloudService =>
  Object.assign(new CloudService(), { name: e.name, meterId: e.meterId, status: e.status, scope: serviceScope(s, e.name), createdAt: e.createdAt });

@Directive('@key(fields: "id")')
@ObjectType('CloudSubscription', {
  description: "A customer's subscription to one offer. (Not `Subscription`: that name is GraphQL's root type for live updates.)",
})
export class CloudSubscription {
  @Field(() => ID) id!: string;
  @Field(() => SubscriptionStatusEnum) status!: SubscriptionStatus;
  @Field(() => Int) quantity!: number;
  @Field(() => String, { nullable: true }) friendlyName?: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field(() => [SubscriptionHistoryEntry]) history!: SubscriptionHistoryEntry[];
  /** The stored document, for field resolvers. */
  doc!: SubscriptionDoc;
}

export function toSubscription(doc: SubscriptionDoc): CloudSubscription {
  return Object.assign(new CloudSubscription(), {
    id: doc._id,
    status: doc.status,
    quantity: doc.quantity,
    friendlyName: doc.friendlyName ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    history: doc.history.map((h) => Object.assign(new SubscriptionHistoryEntry(), { ...h, reason: h.reason ?? null })),
    doc,
  });
}

export const CloudSubscriptionConnection = Connection(CloudSubscription, 'CloudSubscription');

export const SubscriptionPayload = payload('SubscriptionPayload', 'subscription', CloudSubscription);
export type SubscriptionPayload = InstanceType<typeof SubscriptionPayload>;
export const CloudServicePayload = payload('CloudServicePayload', 'service', CloudService);
export type CloudServicePayload = InstanceType<typeof CloudServicePayload>;
