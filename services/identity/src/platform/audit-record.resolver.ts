import { authorize, paginate, PageArgs, requireCaller, type ConnectionShape } from '@csp/kernel';
import type { QueryFilter } from 'mongoose';
import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { IdentityContext } from '../context';
import type { AuditLogDoc } from './audit-log.model';
import { AuditRecord, AuditRecordConnection } from './audit-record.type';

const toRecord = (d: AuditLogDoc): AuditRecord =>
  Object.assign(new AuditRecord(), {
    id: d._id,
    at: d.at,
    actor: { id: d.actorId, kind: d.actorKind },
    action: d.action,
    targetId: d.targetId ?? null,
    service: d.service,
    requestId: d.requestId ?? null,
    outcome: d.outcome ?? 'DONE',
    reason: d.reason ?? null,
  });

/** Who changed what, when, across every service (jobs.graphql AuditRecords). */
@Resolver()
export class AuditRecordResolver {
  @Query(() => AuditRecordConnection, {
    description:
      "The operator reads all; a partner what its own staff did (a distributor also its resellers'), its customers included; a customer user everything done in its tenant.",
  })
  async auditRecords(
    @Args() page: PageArgs,
    @Arg('targetId', () => ID, { nullable: true }) targetId: string | undefined,
    @Arg('since', () => Date, { nullable: true }) since: Date | undefined,
    @Ctx() ctx: IdentityContext,
  ): Promise<ConnectionShape<AuditRecord>> {
    authorize(ctx, 'auditRecords');
    requireCaller(ctx);
    const view = await ctx.loaders.view();
    const filters: QueryFilter<AuditLogDoc>[] = [];
    if (!view.all) {
      const caller = ctx.caller!;
      // A partner reads what its own staff did (a distributor also its resellers'), on its
      // customers too; not what another partner of a shared customer did there, nor what the
      // customer did about that other partner. A customer user reads everything done in its tenant.
      // A refused attempt is shown to the tenant it was aimed at, never to the one who made it: its
      // target is another tenant's object, and its record would name it.
      const allowed = { outcome: { $ne: 'DENIED' as const } };
      filters.push(
        caller.kind === 'CUSTOMER_USER'
          ? { $or: [{ actorCustomerId: caller.customerId, ...allowed }, { customerId: caller.customerId, ...allowed }, { customerId: caller.customerId, outcome: 'DENIED' as const, actorCustomerId: { $ne: caller.customerId } }] }
          : {
              $or: [
                { actorPartnerId: view.ownPartnerId ?? null, ...allowed },
                // A distributor: its resellers' staff only on customers whose business runs through it.
                ...(view.viaResellers?.size ? [{ actorPartnerId: { $in: [...view.partnerIds] }, customerId: { $in: [...view.viaResellers] } }] : []),
                // Attempts someone else was refused on this partner itself or on one of its customers.
                { outcome: 'DENIED', targetId: { $in: [...view.partnerIds, ...view.customerIds] } },
              ],
            },
      );
    }
    if (targetId) filters.push({ targetId });
    if (since) filters.push({ at: { $gte: since } });
    const filter = filters.length ? { $and: filters } : {};
    return paginate(ctx.deps.ops.auditLog, filter, page, toRecord);
  }
}
