import { authorize, notFound, badInput, requireOperator } from '@csp/kernel';
import type { Job, JobType } from 'bullmq';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { IdentityContext } from '../context';
import { JobInfo, JobState, QueueInfo } from './job.type';

const toJob = (queue: string, j: Job): JobInfo =>
  Object.assign(new JobInfo(), {
    id: j.id!,
    name: j.name,
    queue,
    attempts: j.attemptsMade,
    failedReason: j.failedReason || null,
    // BullMQ stamps jobs with wall time; it is what the operator compares with its logs.
    createdAt: new Date(j.timestamp),
    finishedAt: j.finishedOn ? new Date(j.finishedOn) : null,
  });

/** Background job monitoring in the graph: operator only (jobs.graphql). */
@Resolver()
export class JobResolver {
  @Query(() => [QueueInfo], { description: 'Every queue with its job counts per state. Operator only.' })
  async queues(@Ctx() ctx: IdentityContext): Promise<QueueInfo[]> {
    authorize(ctx, 'queues');
    requireOperator(ctx);
    const queues = await ctx.deps.ops.queues.all();
    return Promise.all(
      queues.map(async (q) => {
        const c = await q.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
        return Object.assign(new QueueInfo(), {
          name: q.name,
          counts: { waiting: c.waiting ?? 0, active: c.active ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0, delayed: c.delayed ?? 0 },
        });
      }),
    );
  }

  @Query(() => [JobInfo], { description: 'Jobs of one queue in one state, newest first. Operator only.' })
  async jobs(
    @Arg('queue') queue: string,
    @Arg('state', () => JobState) state: JobState,
    @Arg('first', () => Int, { nullable: true }) first: number | undefined,
    @Ctx() ctx: IdentityContext,
  ): Promise<JobInfo[]> {
    authorize(ctx, 'jobs');
    requireOperator(ctx);
    const size = first ?? 20;
    if (!Number.isInteger(size) || size < 1 || size > 200) throw badInput('`first` must be between 1 and 200.', 'first');
    const q = await this.queue(ctx, queue);
    // BullMQ names its states in lower case.
    const jobs = await q.getJobs([state.toLowerCase() as JobType], 0, size - 1, false);
    return jobs.filter(Boolean).map((j) => toJob(queue, j));
  }

  @Mutation(() => JobInfo, { description: 'Retry a failed job. Operator only.' })
  async retryJob(@Arg('queue') queue: string, @Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<JobInfo> {
    authorize(ctx, 'retryJob');
    requireOperator(ctx);
    const q = await this.queue(ctx, queue);
    const job = await q.getJob(id);
    if (!job) throw notFound('Job', id);
    const state = await job.getState();
    if (state !== 'failed') throw badInput(`Only a failed job can be retried; job ${id} is ${state}.`, 'id');
    await job.retry('failed');
    return toJob(queue, (await q.getJob(id)) ?? job);
  }

  private async queue(ctx: IdentityContext, name: string) {
    const { ops } = ctx.deps;
    if (!(await ops.queues.names()).includes(name)) throw notFound('Queue', name);
    return ops.queues.get(name);
  }
}
