import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import gql from 'graphql-tag';
import { COMPOSE_COMMAND, firstDifference, SUBGRAPHS } from '@csp/kernel';
import { composeSupergraph } from '../src/compose/compose';
import { subgraphSchemas } from '../src/compose/subgraph-schemas';
import { DEFAULT_SUPERGRAPH } from '../src/server';

/** Composition reads the committed services/<name>/schema.graphql (each service's test keeps its file current). */
describe('supergraph composition', () => {
  it('composes the six committed subgraph schemas, and the committed supergraph is that composition', () => {
    const { supergraphSdl } = composeSupergraph();
    const difference = firstDifference(readFileSync(DEFAULT_SUPERGRAPH, 'utf8'), supergraphSdl);
    const stale = difference && `gateway/supergraph.graphql is stale: composing services/*/schema.graphql gives another supergraph (${difference}). Run \`${COMPOSE_COMMAND}\` and commit it.`;
    expect(stale).toBeUndefined();
  });

  it('a missing subgraph schema file names the file and the command', () => {
    const { name } = SUBGRAPHS[0];
    expect(() => subgraphSchemas(__dirname)).toThrow(`services/${name}/schema.graphql is missing: run \`${COMPOSE_COMMAND}\``);
  });

  it('detects a stale supergraph: a subgraph change alters the composed SDL', () => {
    const { subgraphSdl, supergraphSdl } = composeSupergraph();
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
