import { graphqlEnum, type EnumValue } from '@csp/kernel';
import { Field, ID, Int, ObjectType } from 'type-graphql';

export const JobState = graphqlEnum('JobState', ['WAITING', 'ACTIVE', 'COMPLETED', 'FAILED', 'DELAYED']);
export type JobState = EnumValue<typeof JobState>;

@ObjectType()
export class JobCounts {
  @Field(() => Int) waiting!: number;
  @Field(() => Int) active!: number;
  @Field(() => Int) completed!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) delayed!: number;
}

@ObjectType({ description: 'A BullMQ queue of the platform (events, provisioning, invoicing…).' })
export class QueueInfo {
  @Field() name!: string;
  @Field(() => JobCounts) counts!: JobCounts;
}

@ObjectType({ description: 'One background job.' })
export class JobInfo {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() queue!: string;
  @Field(() => Int, { description: 'Attempts made so far.' }) attempts!: number;
  @Field(() => String, { nullable: true }) failedReason?: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt?: Date | null;
}
