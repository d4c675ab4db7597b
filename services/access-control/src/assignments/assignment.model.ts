import { docSchema, modelOn, required } from '@csp/kernel';
import type { Connection, Model } from 'mongoose';

export type PrincipalKind = 'USER' | 'GROUP';

/** One role on one scope for one principal (a user or a security group). */
export interface AssignmentDoc {
  _id: string;
  principalId: string;
  principalKind: PrincipalKind;
  role: string;
  scope: string;
  /** The scope and every scope above it: "assignments at or below X" is `scopeChain: X`. */
  scopeChain: string[];
  customerId: string;
  /** The user who granted it; absent for seed grants made on provisioning. */
  grantedBy?: string;
  /** Why it exists: a user's grant or the provisioning seed rule. */
  source: 'GRANT' | 'PROVISIONING';
  /**
   * Tier 2: a reseller's group applies only while that reseller holds an active relationship
   * with the customer, checked at decision time.
   */
  requiresRelationshipOf?: string;
  /**
   * On a customer scope only: the partner whose delegated administration (GDAP) the grant came
   * from. The assignment reaches only the subscriptions that partner sells; without it, none.
   */
  viaPartnerId?: string;
  createdAt: Date;
}

const schema = docSchema<AssignmentDoc>({
  principalId: required(String),
  principalKind: required(String),
  role: required(String),
  scope: required(String),
  scopeChain: required([String]),
  customerId: required(String),
  grantedBy: String,
  source: required(String),
  requiresRelationshipOf: String,
  viaPartnerId: String,
  createdAt: required(Date),
});
// One assignment per (principal, role, scope): a repeated or concurrent grant is a no-op.
schema.index({ principalId: 1, role: 1, scope: 1 }, { unique: true });
schema.index({ scopeChain: 1 });
schema.index({ scope: 1 });
schema.index({ customerId: 1 });

export const assignmentModel = (conn: Connection): Model<AssignmentDoc> => modelOn<AssignmentDoc>(conn, 'RoleAssignment', schema, 'role_assignments');

export const principalKindOf = (id: string): PrincipalKind | undefined =>
  /^usr_[A-Za-z0-9_-]{1,80}$/.test(id) ? 'USER' : /^grp_[A-Za-z0-9_-]{1,80}$/.test(id) ? 'GROUP' : undefined;
