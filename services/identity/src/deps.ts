import { aggregateLocks, bullPrefix, type Runtime, initModels } from '@csp/kernel';
import { Queue } from 'bullmq';
import { startDeliveryWorker } from './webhooks/delivery.worker';
import { webhookDeliveryModel, webhookEndpointModel } from './webhooks/webhook.model';
import { WEBHOOK_QUEUE, WebhookService } from './webhooks/webhook.service';
import { AuthService } from './auth/auth.service';
import { LoginThrottle } from './auth/login-throttle';
import { ClientService } from './clients/client.service';
import { identityEnv } from './config';
import { CustomerService } from './customers/customer.service';
import { GroupService } from './groups/group.service';
import { KeyStore } from './keys/key-store';
import { signingKeyModel } from './keys/signing-key.model';
import { MarketDirectory } from './markets/market-directory';
import { opsDeps } from './platform/ops-deps';
import { identityModels } from './models';
import { PartnerService } from './partners/partner.service';
import { RelationshipService } from './relationships/relationship.service';
import { ensureOperator } from './users/operator-bootstrap';
import { migrateStaffRoles } from './users/staff-migration';
import { StaffService } from './users/staff.service';
import { UserAccounts } from './users/user-accounts';
import { directoryCache } from './visibility/directory';
import { Visibility } from './visibility/visibility';

/** Built once per process: what resolvers and domain code need, never the Runtime itself. */
export async function buildDeps(rt: Runtime<typeof identityEnv>) {
  const settings = rt.settings;
  const conn = rt.mongo.connection;
  const prefix = rt.config.REDIS_PREFIX;
  const models = identityModels(conn);
  const { users, partners, resellerLinks, customers, relationships, relationshipRequests, groups, markets, clients } = models;
  const locks = aggregateLocks(rt.redis, prefix);
  const ops = opsDeps(rt.redis, prefix, conn);
  rt.shutdown.addFinal('queues', () => ops.queues.close());
  const keys = new KeyStore(signingKeyModel(conn), rt.clock);
  // Unique indexes carry the invariants (email, domain, links, group names): build them before serving.
  await Promise.all([initModels(models), keys.signingKey()]);
  await ensureOperator(users, settings.OPERATOR_EMAIL, settings.OPERATOR_PASSWORD, rt.clock, rt.logger);
  await migrateStaffRoles(users, locks, rt.clock, rt.logger);

  // Webhooks (webhooks/): deliveries are jobs of this process's own queue and worker.
  const webhookModels = { endpoints: webhookEndpointModel(conn), deliveries: webhookDeliveryModel(conn) };
  await initModels(webhookModels);
  const webhookSettings = { production: rt.production, backoffMs: settings.WEBHOOK_BACKOFF_MS, maxAgeMs: settings.WEBHOOK_MAX_AGE_MS };
  const webhookQueue = new Queue(WEBHOOK_QUEUE, { connection: rt.redis, prefix: bullPrefix(prefix) });
  const webhookWorker = startDeliveryWorker(webhookModels, webhookSettings, rt.clock, rt.workerRedis(), prefix, rt.logger);
  rt.shutdown.add('webhook-worker', () => webhookWorker.close());
  rt.shutdown.add('webhook-queue', () => webhookQueue.close());

  const throttle = new LoginThrottle(rt.redis, prefix);
  const tokenSettings = { issuer: rt.config.JWT_ISSUER, audience: rt.config.JWT_AUDIENCE, ttlSeconds: settings.ACCESS_TOKEN_TTL_SECONDS };
  const marketDirectory = new MarketDirectory(markets);
  const accounts = new UserAccounts(users, rt.clock, locks);
  const groupService = new GroupService(models, locks, rt.clock);
  const visibility = new Visibility(relationships, resellerLinks, customers);
  const auth = new AuthService(users, keys, throttle, tokenSettings, (userId) => groupService.groupsOf(userId));
  return {
    clock: rt.clock,
    logger: rt.logger,
    production: rt.production,
    locks,
    ops,
    throttle,
    settings,
    users,
    partners,
    resellerLinks,
    customers,
    relationships,
    relationshipRequests,
    groups,
    markets,
    clients,
    keys,
    auth,
    accounts,
    groupService,
    staff: new StaffService(users, locks, rt.clock),
    visibility,
    directory: directoryCache(rt.redis, prefix, conn, visibility, partners),
    partnerService: new PartnerService(models, accounts, marketDirectory, locks, rt.clock),
    customerService: new CustomerService(models, accounts, marketDirectory, locks, rt.clock),
    relationshipService: new RelationshipService(models, marketDirectory, locks, rt.clock, settings.RELATIONSHIP_REQUEST_TTL_DAYS),
    webhooks: new WebhookService(webhookModels, webhookQueue, rt.clock, webhookSettings),
    webhookModels,
    clientService: new ClientService(models, keys, throttle, rt.clock, tokenSettings),
  };
}

export type IdentityDeps = Awaited<ReturnType<typeof buildDeps>>;
