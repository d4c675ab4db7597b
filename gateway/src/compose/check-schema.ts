import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SUPERGRAPH } from '../server';
import { apiSchemaOf, baseSupergraph, checkSchemaChange, formatResult, frontendOperationFiles, loadOperations } from './schema-check';

/** `npm run check-schema`: exit 1 when the supergraph breaks an operation a frontend runs. */
const root = path.resolve(__dirname, '../../..');
const base = baseSupergraph(root);
async function main(): Promise<void> {
  if (!base) {
    process.stdout.write('schema check: no supergraph on main to compare with (no main branch yet); nothing to check\n');
    return;
  }
  const ops = loadOperations(frontendOperationFiles(root), root);
  const result = await checkSchemaChange(apiSchemaOf(base.sdl), apiSchemaOf(readFileSync(DEFAULT_SUPERGRAPH, 'utf8')), ops);
  process.stdout.write(`schema check against ${base.ref}, ${ops.length} operations\n${formatResult(result)}\n`);
  if (result.breaking.length) {
    process.stderr.write(`schema check failed: ${result.breaking.length} breaking change(s) used by frontend operations\n`);
    process.exitCode = 1;
  }
}
void main();
