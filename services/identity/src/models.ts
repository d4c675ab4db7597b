import type { Connection } from 'mongoose';
import { clientModel } from './clients/client.model';
import { customerModel } from './customers/customer.model';
import { groupModel } from './groups/group.model';
import { marketModel } from './markets/market.model';
import { partnerModel } from './partners/partner.model';
import { resellerLinkModel } from './partners/reseller-link.model';
import { relationshipRequestModel, requestClaimModel } from './relationships/relationship-request.model';
import { relationshipModel } from './relationships/relationship.model';
import { userModel } from './users/user.model';

/** The identity service's collections on its connection; each service takes the ones it uses. */
export const identityModels = (conn: Connection) => ({
  users: userModel(conn),
  partners: partnerModel(conn),
  resellerLinks: resellerLinkModel(conn),
  customers: customerModel(conn),
  relationships: relationshipModel(conn),
  relationshipRequests: relationshipRequestModel(conn),
  requestClaims: requestClaimModel(conn),
  groups: groupModel(conn),
  markets: marketModel(conn),
  clients: clientModel(conn),
});
export type IdentityModels = ReturnType<typeof identityModels>;
