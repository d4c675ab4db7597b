import { scopes } from '@csp/access-client';
import { badInput } from '@csp/kernel';

/**
 * Scopes are paths that form a tree: a customer ⊃ its subscriptions ⊃ their services.
 * A role assigned on a scope applies to every scope below it.
 */
export interface Scope {
  path: string;
  customerId: string;
  subscriptionId?: string;
  service?: string;
}

const ID = '[A-Za-z0-9][A-Za-z0-9_-]{0,79}';
const SERVICE = '[A-Za-z0-9][A-Za-z0-9._~-]{0,79}';
const SCOPE_RE = new RegExp(`^/customers/(${ID})(?:/subscriptions/(${ID})(?:/services/(${SERVICE}))?)?$`);

/** Built the one way callers build them (the client package's `scopes`), parsed here. */
export const customerScope = scopes.customer;
export const subscriptionScope = scopes.subscription;

/** Parses a scope path, or undefined when it is not one. */
export function tryParseScope(path: string): Scope | undefined {
  const m = SCOPE_RE.exec(path);
  if (!m) return undefined;
  return { path, customerId: m[1], subscriptionId: m[2], service: m[3] };
}

export function parseScope(path: string, field = 'scope'): Scope {
  const scope = tryParseScope(path);
  if (!scope) {
    throw badInput(
      `\`${field}\` must be /customers/{customerId}, /customers/{customerId}/subscriptions/{subscriptionId} or .../services/{serviceName}; got ${JSON.stringify(path.slice(0, 200))}.`,
      field,
    );
  }
  return scope;
}

/** The scope itself and every scope above it, broadest first. */
export function scopeChain(scope: Scope): string[] {
  const chain = [customerScope(scope.customerId)];
  if (scope.subscriptionId) chain.push(subscriptionScope(scope.customerId, scope.subscriptionId));
  if (scope.service) chain.push(scope.path);
  return chain;
}
