import type { Caller } from '../auth/caller';
import { forbidden, unauthenticated } from './errors';

/** What every resolver receives; services add their own loaders on top. */
export interface BaseContext {
  caller: Caller | null;
  requestId: string;
  /** Raw Authorization header, to act on the caller's behalf towards another service. */
  authorization?: string;
  /** The client's network address (from the gateway's X-Forwarded-For), for throttling. */
  clientAddress?: string;
}

export function requireCaller(ctx: BaseContext): Caller {
  if (!ctx.caller) throw unauthenticated();
  return ctx.caller;
}

export function requireOperator(ctx: BaseContext): Caller {
  const caller = requireCaller(ctx);
  if (caller.kind !== 'OPERATOR') throw forbidden('Only the vendor operator may do this.');
  return caller;
}

export function requirePartnerUser(ctx: BaseContext): Caller & { partnerId: string } {
  const caller = requireCaller(ctx);
  if (caller.kind !== 'PARTNER_USER' || !caller.partnerId) throw forbidden('Only a partner user may do this.');
  return caller as Caller & { partnerId: string };
}
