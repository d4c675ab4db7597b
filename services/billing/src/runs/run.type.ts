import { graphqlEnum, type EnumValue, payload } from '@csp/kernel';
import { Field, ID, Int, ObjectType } from 'type-graphql';

export const InvoiceRunStatusEnum = graphqlEnum('InvoiceRunStatus', ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED']);
export type InvoiceRunStatusEnum = EnumValue<typeof InvoiceRunStatusEnum>;

@ObjectType({ description: 'The invoicing of one closed month: one job per bill-to.' })
export class InvoiceRun {
  @Field(() => ID) id!: string;
  @Field({ description: 'YYYY-MM' }) period!: string;
  @Field(() => InvoiceRunStatusEnum) status!: InvoiceRunStatusEnum;
  @Field(() => Int, { description: 'Percent of bill-to jobs done (0-100).' }) progress!: number;
  @Field(() => Int) invoicesCreated!: number;
  @Field(() => String, { nullable: true }) failedReason?: string | null;
  @Field({ description: 'Usage received before this instant is billed by this run (unless billed earlier).' }) cutoff!: Date;
}

export const StartInvoiceRunPayload = payload('StartInvoiceRunPayload', 'run', InvoiceRun);
export type StartInvoiceRunPayload = InstanceType<typeof StartInvoiceRunPayload>;
