import { Kind, type DocumentNode, type FieldDefinitionNode, type GraphQLSchema } from 'graphql';

/**
 * What a root field is, declared on the field itself with federation's `@tag` (in the resolver:
 * `@Directive(tag(PUBLIC_TAG))`), composed into the supergraph, and read from there by the gateway
 * and from the subgraph's schema by the kernel: no list of field names anywhere else.
 */
/** A caller without a token may ask for it (the public catalog, the platform clock). */
export const PUBLIC_TAG = 'public';
/** It tries a credential: public, counted against the sign-in budget, and not a change to audit. */
export const SIGN_IN_TAG = 'sign-in';

/** The directive text for a resolver's `@Directive(…)`. */
export const tag = (name: typeof PUBLIC_TAG | typeof SIGN_IN_TAG) => `@tag(name: "${name}")`;

/** The tag names on one field definition (`@tag`, or `@federation__tag` when not imported). */
export function tagsOf(field: FieldDefinitionNode | null | undefined): string[] {
  return (field?.directives ?? [])
    .filter((d) => d.name.value === 'tag' || d.name.value === 'federation__tag')
    .flatMap((d) => d.arguments?.filter((a) => a.name.value === 'name').map((a) => (a.value.kind === Kind.STRING ? a.value.value : '')) ?? [])
    .filter(Boolean);
}

/** Root fields (Query and Mutation) carrying `name`, from a supergraph or subgraph document or a built schema. */
export function rootFieldsTagged(source: DocumentNode | GraphQLSchema, name: string): Set<string> {
  const out = new Set<string>();
  if ('kind' in source) {
    for (const def of source.definitions) {
      if ((def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) && (def.name.value === 'Query' || def.name.value === 'Mutation')) {
        for (const f of def.fields ?? []) if (tagsOf(f).includes(name)) out.add(f.name.value);
      }
    }
    return out;
  }
  for (const type of [source.getQueryType(), source.getMutationType()]) {
    for (const f of Object.values(type?.getFields() ?? {})) if (tagsOf(f.astNode).includes(name)) out.add(f.name);
  }
  return out;
}
