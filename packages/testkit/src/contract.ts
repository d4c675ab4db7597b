import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { REPO_ROOT } from './env';

export const CONTRACT_DIR = process.env.CONTRACT_DIR ?? path.resolve(REPO_ROOT, '../shared/contract');

export interface ContractOperation {
  name: string;
  file: string;
  kind: 'query' | 'mutation' | 'subscription';
  document: DocumentNode;
  source: string;
  /** Variable names and whether each is required. */
  variables: Array<{ name: string; required: boolean; type: string }>;
}

let cache: Map<string, ContractOperation> | undefined;

/** Every operation in ../shared/contract/*.graphql, by name. */
export function contractOperations(): Map<string, ContractOperation> {
  if (cache) return cache;
  cache = new Map();
  for (const file of readdirSync(CONTRACT_DIR).filter((f) => f.endsWith('.graphql')).sort()) {
    const doc = parse(readFileSync(path.join(CONTRACT_DIR, file), 'utf8'));
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION || !def.name) continue;
      const op = def as OperationDefinitionNode;
      const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [op] };
      cache.set(op.name!.value, {
        name: op.name!.value,
        file,
        kind: op.operation as ContractOperation['kind'],
        document,
        source: print(document),
        variables: (op.variableDefinitions ?? []).map((v) => ({
          name: v.variable.name.value,
          required: v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue,
          type: print(v.type),
        })),
      });
    }
  }
  return cache;
}

export function contractOperation(name: string): ContractOperation {
  const op = contractOperations().get(name);
  if (!op) throw new Error(`no contract operation named ${name} in ${CONTRACT_DIR}`);
  return op;
}
