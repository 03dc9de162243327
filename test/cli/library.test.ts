import { expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ROOT } from './run.js';

// README's library example, run from another project that depends on sla-audit (a link in its
// node_modules, as npm makes for a local dependency): the package's exports and built types.
test('the README library example runs from a separate project and prints what README shows', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## As a library'));
  const code = /```js\n([\s\S]*?)```/.exec(section)![1];
  const shown = /```text\n([\s\S]*?)```/.exec(section)![1];
  const project = mkdtempSync(join(tmpdir(), 'sla-lib-'));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(ROOT, join(project, 'node_modules', 'sla-audit'));
  writeFileSync(join(project, 'package.json'), '{ "type": "module", "dependencies": { "sla-audit": "*" } }\n');
  writeFileSync(join(project, 'example.mjs'), code);
  const r = await execa('node', [join(project, 'example.mjs')], { cwd: ROOT, reject: false });
  expect(r.stderr).toBe('');
  expect(r.stdout + '\n').toBe(shown);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.exports['.'].types).toBe('./dist/index.d.ts');
  expect(readFileSync(join(ROOT, 'dist/index.d.ts'), 'utf8')).toContain('export declare function renderReport');
});
