import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

/** GraphiQL inlined from the installed package: works with no internet (no CDN). */
let html: string | undefined;
export function explorerHtml(): string {
  html ??= renderGraphiQL({
    title: 'CSP Commerce Graph',
    endpoint: '/graphql',
    defaultQuery: '# Sign in with the Login mutation, then set {"Authorization": "Bearer <accessToken>"} under Headers.\nquery Markets {\n  markets { code name currency countries }\n}\n',
    headerEditorEnabled: true,
  } as never);
  return html;
}
