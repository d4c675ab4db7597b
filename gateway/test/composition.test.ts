import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import gql from 'graphql-tag';
import { composeSupergraph } from '../src/compose/compose';
import { DEFAULT_SUPERGRAPH } from '../src/server';

describe('supergraph composition', () => {
  it('composes the six subgraphs, and the committed supergraph is up to date', async () => {
    const { supergraphSdl } = await composeSupergraph();
    const committed = readFileSync(DEFAULT_SUPERGRAPH, 'utf8');
    // On failure: run `make compose` and commit gateway/supergraph.graphql.
    expect(committed).toBe(supergraphSdl);
  });

  it('detects a stale supergraph: a subgraph change alters the composed SDL', async () => {
    const { subgraphSdl, supergraphSdl } = await composeSupergraph();
    const changed = composeServices([
      ...Object.entries(subgraphSdl).map(([name, sdl]) => ({ name, url: `http://x/${name}`, typeDefs: parse(sdl) })),
      { name: 'extra', url: 'http://x/extra', typeDefs: gql`type Query { extraField: String }` },
    ]);
    expect(changed.errors).toBeUndefined();
    expect(changed.supergraphSdl).not.toBe(supergraphSdl.replace(/^#.*\n/, ''));
  });

  it('fails when two subgraphs define the same non-shareable field', () => {
    const result = composeServices([
      { name: 'a', url: 'http://x/a', typeDefs: gql`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Query { clash: String }` },
      { name: 'b', url: 'http://x/b', typeDefs: gql`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Query { clash: Int }` },
    ]);
    expect(result.errors?.length).toBeGreaterThan(0);
  });
});
