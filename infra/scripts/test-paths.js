// Writes tsconfig.test.json's "paths": tests type-check against sources, through the entry points
// each workspace declares (package.json "exports"), the same map jest.config.js builds.
// `node infra/scripts/test-paths.js` rewrites it; infra/test/declared-imports.test.ts checks it is current.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

/** Every workspace's declared entry points: [import name, source file without extension]. */
function entryPoints() {
  const dirs = ['packages', 'services'].flatMap((d) => fs.readdirSync(path.join(root, d)).map((s) => `${d}/${s}`)).concat('gateway');
  const out = [];
  for (const dir of dirs) {
    const file = path.join(root, dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    const exported = pkg.exports ?? { '.': `./${pkg.main}` };
    for (const [sub, target] of Object.entries(exported)) {
      if (!target.startsWith('./dist/')) continue;
      const name = sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
      out.push([name, `${dir}/src/${target.slice('./dist/'.length).replace(/\.js$/, '')}`]);
    }
  }
  return out;
}

function testPaths() {
  return Object.fromEntries(entryPoints().map(([name, source]) => [name, [source]]));
}

if (require.main === module) {
  const file = path.join(root, 'tsconfig.test.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  config.compilerOptions.paths = testPaths();
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}

module.exports = { entryPoints, testPaths, root };
