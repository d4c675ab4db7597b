import { writeFileSync } from 'node:fs';
import { DEFAULT_SUPERGRAPH } from '../server';
import { composeSupergraph } from './compose';

/** `npm run compose`: regenerate gateway/supergraph.graphql (committed). */
composeSupergraph()
  .then(({ supergraphSdl }) => {
    writeFileSync(DEFAULT_SUPERGRAPH, supergraphSdl);
    process.stdout.write(`wrote ${DEFAULT_SUPERGRAPH}\n`);
  })
  .catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
