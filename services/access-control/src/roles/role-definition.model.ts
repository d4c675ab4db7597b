import { docSchema, modelOn } from '@csp/kernel';
import { ACTIONS } from '@csp/access-client';
import type { Connection, Model } from 'mongoose';

/** A role is a named set of actions; built-in roles are seeded at start, custom roles fit beside them. */
export interface RoleDefinitionDoc {
  _id: string;
  description: string;
  actions: string[];
  builtIn: boolean;
}

const schema = docSchema<RoleDefinitionDoc>({ description: String, actions: [String], builtIn: Boolean });

export const roleDefinitionModel = (conn: Connection): Model<RoleDefinitionDoc> => modelOn<RoleDefinitionDoc>(conn, 'RoleDefinition', schema, 'role_definitions');

// The actions are the client package's: the one contract callers and access-control share.
const A = ACTIONS;
export const BUILT_IN_ROLES: RoleDefinitionDoc[] = [
  {
    _id: 'OWNER',
    description: 'Full access, including granting and revoking roles for others.',
    actions: [A.subscriptionRead, A.subscriptionManage, A.assignmentsRead, A.assignmentsWrite, A.billingRead],
    builtIn: true,
  },
  {
    _id: 'CONTRIBUTOR',
    description: 'Manages resources (create, start, stop services) but cannot grant roles.',
    actions: [A.subscriptionRead, A.subscriptionManage, A.assignmentsRead, A.billingRead],
    builtIn: true,
  },
  {
    _id: 'READER',
    description: 'Reads resources, role assignments and charges; changes nothing.',
    actions: [A.subscriptionRead, A.assignmentsRead, A.billingRead],
    builtIn: true,
  },
];
