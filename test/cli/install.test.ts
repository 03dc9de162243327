import { afterAll, beforeAll, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, ROOT } from './run.js';

/**
 * The packed tarball installed outside the clone, as README's Install section does, and run from
 * there. `npm pack --ignore-scripts` packs the dist/ the suite's setup built (npm pack alone would
 * rebuild it through prepack while other tests run it). The install is offline: the folder gets a
 * lockfile of the package's own dependencies, taken from the repository's package-lock.json, so
 * `npm ci --offline` finds every tarball in npm's cache, where the clone's `npm ci` put them; no
 * registry is asked, and no dev dependency is there to be installed. The optional DuckDB is left out
 * (--omit=optional): everything but --engine duckdb runs without it, and that says so.
 */
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
const tarball = `sla-audit-${pkg.version}.tgz`;
let dir: string;
let app: string;

function appLockfile(): object {
  const packages: Record<string, object> = {
    '': { name: 'sla-audit-install-test', dependencies: { 'sla-audit': `file:../${tarball}` } },
    'node_modules/sla-audit': {
      version: pkg.version, resolved: `file:../${tarball}`, license: pkg.license, bin: pkg.bin, engines: pkg.engines,
      dependencies: pkg.dependencies, optionalDependencies: pkg.optionalDependencies,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages as Record<string, { dev?: boolean }>)) if (path && !entry.dev) packages[path] = entry;
  return { name: 'sla-audit-install-test', lockfileVersion: 3, requires: true, packages };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sla-install-'));
  app = join(dir, 'app');
  mkdirSync(app);
  await execa('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'sla-audit-install-test', private: true, dependencies: { 'sla-audit': `file:../${tarball}` } }, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(appLockfile(), null, 2));
  // without the optional DuckDB (68 MB of binaries to unpack): the package must run without it
  await execa('npm', ['ci', '--offline', '--omit=optional', '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: app });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the tarball holds the built CLI, the library, the demo, and nothing to build', () => {
  const inst = join(app, 'node_modules/sla-audit');
  expect(existsSync(join(inst, 'dist/sla-audit.js'))).toBe(true);
  expect(existsSync(join(inst, 'dist/sla-audit/csv-worker.js'))).toBe(true);
  expect(existsSync(join(inst, 'dist/sla-audit/part-worker.js'))).toBe(true);
  expect(existsSync(join(inst, 'dist/index.d.ts'))).toBe(true);
  expect(existsSync(join(inst, 'dist/.tsbuildinfo'))).toBe(false);
  expect(existsSync(join(inst, 'src'))).toBe(false);
  expect(readdirSync(join(inst, 'fixtures/demo')).sort()).toEqual(['sla.yaml', 'tickets.csv']);
  // the package's runtime dependencies only: none of the dev tools came along
  for (const dev of Object.keys(pkg.devDependencies)) expect(existsSync(join(app, 'node_modules', dev))).toBe(false);
  for (const dep of Object.keys(pkg.dependencies)) expect(existsSync(join(app, 'node_modules', dep))).toBe(true);
});

/** The `npx sla-audit` lines of README's tarball block, run as written in the folder it was installed in. */
function readmeLines(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const from = readme.indexOf('### Outside the clone\n');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(from))![1];
  expect(block).toContain(`npm install ~/src/sla-audit/${tarball}`);
  return block.split('\n').filter((l) => l.startsWith('npx sla-audit '));
}

test("README's npx lines, from the folder the tarball was installed in: the version, and the demo's report as the clone gives it (exit 1)", async () => {
  const [version, check] = readmeLines();
  const env = { FORCE_COLOR: '0', NO_COLOR: '1' };
  const v = await execa('sh', ['-c', version], { cwd: app, reject: false, env });
  expect([v.exitCode, v.stdout]).toEqual([0, pkg.version]);
  const installed = await execa('sh', ['-c', `${check} -f markdown`], { cwd: app, reject: false, env });
  const clone = await execa('sh', ['-c', `${check.replace('npx sla-audit', `node ${BIN}`)} -f markdown`], { cwd: app, reject: false, env });
  // the demo misses two of its three objectives
  expect(installed.exitCode).toBe(1);
  expect(installed.stderr).toBe(clone.stderr);
  expect(installed.stdout).toBe(clone.stdout);
  expect(installed.stdout).toMatch(/^## SLA audit: ❌ objectives 1 met, 2 failed \(of 3\)\n\n412 tickets evaluated/);
});

test('the library, imported by name from the installed package', async () => {
  const script = "import { loadConfig, audit } from 'sla-audit'; const config = loadConfig('node_modules/sla-audit/fixtures/demo/sla.yaml'); const r = await audit({ config, inputs: ['node_modules/sla-audit/fixtures/demo/tickets.csv'], asOf: Date.parse('2026-11-01T00:00:00+08:00') }); console.log(r.totals.evaluated, r.passed);";
  const r = await execa('node', ['--input-type=module', '-e', script], { cwd: app, reject: false });
  expect([r.exitCode, r.stdout]).toEqual([0, '412 false']);
});

test('without the optional DuckDB, --engine duckdb says what to install (exit 2), and the default engine needs none', async () => {
  expect(existsSync(join(app, 'node_modules/@duckdb'))).toBe(false);
  const r = await execa('npx', ['--offline', 'sla-audit', 'check', '-q', '--engine', 'duckdb', '-c', 'node_modules/sla-audit/fixtures/demo/sla.yaml', 'node_modules/sla-audit/fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00'], { cwd: app, reject: false });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toMatch(/@duckdb\/node-api/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});
