import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '@csp/testkit';

/**
 * The gateway loads the kernel's edge (`@csp/kernel/edge`), never its store drivers: a gateway
 * replica starts without mongoose or type-graphql in memory. Checked on the built process, as
 * `make up` and the image start it (build first: npx tsc -b).
 */
it('the gateway process loads neither mongoose nor type-graphql', () => {
  const probe = `require(${JSON.stringify(path.join(REPO_ROOT, 'gateway/dist/server.js'))});
    const loaded = Object.keys(require.cache);
    console.log(JSON.stringify({ mongoose: loaded.filter((k) => k.includes('/node_modules/mongoose/')).length, typeGraphql: loaded.filter((k) => k.includes('/node_modules/type-graphql/')).length, modules: loaded.length }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim().split('\n').pop()!);
  expect(out).toMatchObject({ mongoose: 0, typeGraphql: 0 });
  expect(out.modules).toBeGreaterThan(100); // it did load the gateway
});
