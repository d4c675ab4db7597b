import { authorize, requireCaller } from '@csp/kernel';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { usageWriterOf } from './ingest';
import { RecordUsagePayload, UsageRecordInput } from './usage.type';

@Resolver()
export class UsageResolver {
  @Mutation(() => RecordUsagePayload, { description: 'Operator or the usage connector (scope usage:write): up to 10,000 rows per call.' })
  async recordUsage(@Arg('records', () => [UsageRecordInput]) records: UsageRecordInput[], @Ctx() ctx: BillingContext): Promise<RecordUsagePayload> {
    authorize(ctx, 'recordUsage');
    const writer = usageWriterOf(requireCaller(ctx));
    return ctx.deps.ingest(
      records.map((r) => ({ ...r })),
      writer,
    );
  }
}
