import { DecimalScalar } from '@csp/kernel';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@InputType({ description: 'One metered usage row; recordId makes ingestion idempotent.' })
export class UsageRecordInput {
  @Field(() => ID) recordId!: string;
  @Field(() => ID) subscriptionId!: string;
  @Field(() => ID) meterId!: string;
  @Field(() => DecimalScalar) quantity!: string;
  @Field({ description: 'YYYY-MM-DD (UTC day of use)' }) usageDate!: string;
}

@ObjectType()
export class UsageRejection {
  @Field(() => Int, { description: 'Position of the row in the batch (0-based).' }) index!: number;
  @Field() reason!: string;
}

@ObjectType()
export class RecordUsagePayload {
  @Field(() => Int, { description: 'Rows stored now.' }) accepted!: number;
  @Field(() => Int, { description: 'Rows whose recordId was already stored (counted once).' }) duplicates!: number;
  @Field(() => [UsageRejection]) rejected!: UsageRejection[];
}
