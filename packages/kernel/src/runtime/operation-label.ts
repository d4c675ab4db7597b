import { currentRequestContext } from './request-context';

/**
 * Metric label for a GraphQL operation name with bounded cardinality: the first
 * MAX_OPERATION_LABELS distinct names this process serves keep their own label (the contract's
 * and the frontends' operations are far fewer); any name after that, or one that does not
 * look like a GraphQL name, folds into "other". No name is "anonymous".
 * A subgraph labels the gateway's fetches by the client operation they serve.
 */
export const MAX_OPERATION_LABELS = 200;
const known = new Set<string>();

export function operationLabel(raw: string | null | undefined): string {
  if (!raw) return 'anonymous';
  // The gateway names a subgraph fetch `<operation>__<subgraph>__<n>`: count it as the client's operation.
  const name = raw.replace(/__[A-Za-z0-9_-]+__\d+$/, '');
  if (known.has(name)) return name;
  if (!/^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name) || known.size >= MAX_OPERATION_LABELS) return 'other';
  known.add(name);
  return name;
}

/** Tells the HTTP metrics which GraphQL operation this request ran (see http-host). */
export function noteOperation(label: string): void {
  const ctx = currentRequestContext();
  if (ctx) ctx.operation = label;
}
