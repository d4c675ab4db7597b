/**
 * Demo data for `make up`, loaded through the public graph as a client would. Idempotent:
 * every step first looks for what it would create, so running `up` twice duplicates nothing.
 */
const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const operator = {
  email: process.env.OPERATOR_EMAIL ?? 'operator@vendor.example',
  password: process.env.OPERATOR_PASSWORD ?? 'operator-password-change-me',
};

async function gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

async function main() {
  const { login } = await gql<{ login: { accessToken: string } }>(
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    operator,
  );
  const { markets } = await gql<{ markets: Array<{ code: string }> }>('{ markets { code } }', {}, login.accessToken);
  console.log(`operator signed in; markets: ${markets.map((m) => m.code).join(', ') || '(none yet)'}`);
}

main().catch((err) => {
  console.error(`demo data failed: ${err.message}`);
  process.exit(1);
});
