import { runStory, StoryError } from './story';

/**
 * Demo data for `make up`, loaded through the public graph as a client would: the seed's whole
 * story, which ends with a closed month and its invoices. Idempotent: when the demo partners
 * exist already (a second `make up`), it only prints their logins.
 */
const graphUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const operator = {
  email: process.env.OPERATOR_EMAIL ?? 'operator@vendor.example',
  password: process.env.OPERATOR_PASSWORD ?? 'operator-password-change-me',
};
const TAG = 'demo';
const DEMO_LOGINS = [
  { who: 'direct provider admin', email: `admin.direct.${TAG}@partners.example`, password: 'direct-password-1' },
  { who: 'distributor admin', email: `admin.distributor.${TAG}@partners.example`, password: 'distributor-password-1' },
  { who: 'reseller admin', email: `admin.reseller.${TAG}@partners.example`, password: 'reseller-password-1' },
  { who: 'customer Fabrikam admin', email: `admin@fabrikam-${TAG}.example`, password: 'fabrikam-password-1' },
  { who: 'customer Northwind admin', email: `admin@northwind-${TAG}.example`, password: 'northwind-password-1' },
];

async function loaded(): Promise<boolean> {
  const r = await fetch(graphUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
      variables: { e: DEMO_LOGINS[0].email, p: DEMO_LOGINS[0].password },
    }),
  });
  return !!((await r.json()) as { data?: { login?: unknown } }).data?.login;
}

async function main() {
  if (await loaded()) {
    console.log('demo data is already loaded');
  } else {
    const result = await runStory({ graphUrl, operator, tag: TAG, log: (l) => console.log(`  ${l}`), timeoutMs: 120_000 });
    console.log(`demo data loaded: ${result.invoices.length} invoices issued for ${result.period}`);
  }
  console.log('demo logins:');
  for (const l of DEMO_LOGINS) console.log(`  ${l.who.padEnd(26)} ${l.email} / ${l.password}`);
}

main().catch((err) => {
  console.error(`demo data failed: ${err instanceof StoryError ? err.message : (err?.stack ?? err)}`);
  process.exit(1);
});
