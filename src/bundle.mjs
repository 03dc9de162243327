// The command line as an ESM bundle, made by `npm run build` after tsc: dist/sla-audit.js (what
// bin/sla-audit.js imports) and, in dist/sla-audit/, the chunks a command loads when it runs and the
// CSV reader's worker. Resolving and compiling this package's hundred modules and its libraries'
// files one by one was a third of a small run; a command now reads a few files. tsc's output in
// dist/ stays the library that package.json exports (with its types); nothing imports it here.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
rmSync(new URL('../dist/sla-audit', import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // cli.ts stays in dist/ (it reads ../package.json); the workers go beside the chunks, where the
  // reader's chunk looks for ./csv-worker.js and the parallel reading's for ./part-worker.js
  entryPoints: { 'sla-audit': 'src/cli.ts', 'sla-audit/csv-worker': 'src/input/csv-worker.ts', 'sla-audit/part-worker': 'src/parallel/part-worker.ts' },
  chunkNames: 'sla-audit/[name]-[hash]',
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  sourcesContent: false,
  // large and used by few runs (workbooks, countries' holidays): loaded from node_modules then
  external: ['exceljs', 'date-holidays', 'chinese-days', '@duckdb/node-api'],
  // the CommonJS libraries inside (commander, yaml, cli-table3) call require for Node's modules
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
