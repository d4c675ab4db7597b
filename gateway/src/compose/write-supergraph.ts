import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SUPERGRAPH } from '../server';
import { composeSupergraph, K8S_SUPERGRAPH, supergraphConfigMap } from './compose';

/** `make compose` (after each service's write-schema): gateway/supergraph.graphql from the committed subgraph files. */
try {
  const { supergraphSdl } = composeSupergraph();
  mkdirSync(path.dirname(K8S_SUPERGRAPH), { recursive: true }); // absent in the container build
  writeAtomically(DEFAULT_SUPERGRAPH, supergraphSdl);
  writeAtomically(K8S_SUPERGRAPH, supergraphConfigMap(supergraphSdl));
  process.stdout.write(`wrote ${DEFAULT_SUPERGRAPH} and ${K8S_SUPERGRAPH}\n`);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}

/** Readers (a running gateway, a test) never see a half-written file. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
