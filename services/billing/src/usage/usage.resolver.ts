import { authorize, forbidden, requireCaller } from '@csp/kernel';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { VENDOR_METERS_SCOPE, VENDOR_WRITER, type UsageWriter } from './ingest';
import { RecordUsagePayload, UsageRecordInput } from './usage.type';

@Resolver()
export class UsageResolver {
  @Mutation(() => RecordUsagePayload, { description: 'Operator or the usage connector (scope usage:write): up to 10,000 rows per call.' })
  async recordUsage(@Arg('records', () => [UsageRecordInput]) records: UsageRecordInput[], @Ctx() ctx: BillingContext): Promise<RecordUsagePayload> {
    authorize(ctx, 'recordUsage');
    const caller = requireCaller(ctx);
    const allowed = caller.kind === 'OPERATOR' || (caller.kind === 'SERVICE' && caller.scopes.includes('usage:write'));
    if (!allowed) throw forbidden('Only the vendor operator or the usage connector (scope usage:write) may record usage.');
    const writer: UsageWriter = caller.partnerId
      ? { id: caller.partnerId, partnerId: caller.partnerId, vendorMeters: caller.scopes.includes(VENDOR_METERS_SCOPE) }
      : VENDOR_WRITER;
    return ctx.deps.ingest(
      records.map((r) => ({ ...r })),
      writer,
    );
  }
}
