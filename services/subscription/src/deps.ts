import type { Runtime } from '@csp/kernel';

/** Built once per process; resolvers reach it through the context. */
export async function buildDeps(rt: Runtime) {
  return { rt, clock: rt.clock };
}

export type SubscriptionDeps = Awaited<ReturnType<typeof buildDeps>>;
