import { aggregateLocks, initModels, redisKeys, type Runtime } from '@csp/kernel';
import type { accessControlEnv } from './config';
import { assignmentModel } from './assignments/assignment.model';
import { AssignmentService } from './assignments/assignment.service';
import { OwnerGrantSignal } from './assignments/owner-grant-signal';
import { AuditLog } from './audit/audit-log';
import { auditModel } from './audit/audit.model';
import { ChangeVersion } from './decisions/change-version';
import { DecisionCache } from './decisions/decision-cache';
import { DecisionEngine } from './decisions/decision-engine';
import { customerModel } from './directory/customer.model';
import { Directory } from './directory/directory';
import { directoryUserModel } from './directory/user.model';
import { groupModel } from './directory/group.model';
import { partnerModel } from './directory/partner.model';
import { relationshipModel } from './directory/relationship.model';
import { subscriptionModel } from './directory/subscription.model';
import { adminAccessModel } from './gdap/admin-access.model';
import { adminRelationshipModel } from './gdap/admin-relationship.model';
import { AdminRelationshipService } from './gdap/admin-relationship.service';
import { RoleCatalog } from './roles/role-catalog';
import { roleDefinitionModel } from './roles/role-definition.model';

/** Built once per process: what resolvers and domain code need, never the Runtime itself. */
export async function buildDeps(rt: Runtime<typeof accessControlEnv>) {
  const conn = rt.mongo.connection;
  const models = {
    roleDefinitions: roleDefinitionModel(conn),
    assignments: assignmentModel(conn),
    audit: auditModel(conn),
    partners: partnerModel(conn),
    groups: groupModel(conn),
    users: directoryUserModel(conn),
    customers: customerModel(conn),
    relationships: relationshipModel(conn),
    subscriptions: subscriptionModel(conn),
    adminRelationships: adminRelationshipModel(conn),
    adminAccess: adminAccessModel(conn),
  };
  // Unique indexes carry the invariants: build them before taking traffic.
  await initModels(models);
  const roles = new RoleCatalog(models.roleDefinitions);
  await roles.init();
  const directory = new Directory(models.partners, models.groups, models.customers, models.relationships, models.subscriptions, models.users);
  const engine = new DecisionEngine(models, roles);
  const decisions = new DecisionCache(engine, new ChangeVersion(rt.redis, rt.config.REDIS_PREFIX), rt.clock);
  const audit = new AuditLog(models.audit, rt.clock);
  const assignments = new AssignmentService(models.assignments, directory, roles, decisions, audit, rt.clock);
  const gdap = new AdminRelationshipService(
    models.adminRelationships,
    models.adminAccess,
    directory,
    roles,
    decisions,
    audit,
    rt.clock,
    aggregateLocks(rt.redis, rt.config.REDIS_PREFIX),
  );
  const ownerGrant = new OwnerGrantSignal(rt.redis, redisKeys(rt.config.REDIS_PREFIX).ownerGrantSeeded);
  await ownerGrant.start(rt.workerRedis());
  return { clock: rt.clock, settings: rt.settings, models, roles, directory, decisions, audit, assignments, gdap, ownerGrant };
}

export type AccessControlDeps = Awaited<ReturnType<typeof buildDeps>>;
