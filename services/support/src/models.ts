import type { Connection } from 'mongoose';
import { activityModel } from './activity/activity.model';
import { customerModel, invoiceModel, partnerModel, relationshipModel, resellerLinkModel, staffModel, subscriptionModel } from './directory/directory.model';
import { noteModel } from './notes/note.model';
import { breachModel } from './sla/breach.model';
import { targetModel } from './sla/targets.model';
import { escalationClaimModel, ticketModel } from './tickets/ticket.model';

/** Every collection of support's own database. */
export function supportModels(conn: Connection) {
  return {
    partners: partnerModel(conn),
    resellerLinks: resellerLinkModel(conn),
    customers: customerModel(conn),
    relationships: relationshipModel(conn),
    staff: staffModel(conn),
    subscriptions: subscriptionModel(conn),
    invoices: invoiceModel(conn),
    tickets: ticketModel(conn),
    escalationClaims: escalationClaimModel(conn),
    notes: noteModel(conn),
    activity: activityModel(conn),
    targets: targetModel(conn),
    breaches: breachModel(conn),
  };
}

export type SupportModels = ReturnType<typeof supportModels>;
