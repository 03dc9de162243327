import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import LongestFirst from './setup/sequencer.js';

// One config for the whole suite, in three parts (vitest projects), each its own npm script:
// - main (`npm test`): everything that runs in-process or with Node's own tools, Chromium and
//   LibreOffice included;
// - server (`npm run test:server`): the files that start a PostgreSQL server themselves
//   (test/**/*.server.test.ts), and the SQL cases written once for every engine
//   (test/**/*.engines.test.ts: DuckDB and PGlite here in main, the real server there);
// - spark (`npm run test:spark`): Spark itself and sqlglot, from the venv test/spark/setup.sh makes.
// No file is in two parts but *.engines.test.ts, each engine of which runs in one part only.
// Timeouts are generous on purpose: no test may depend on the machine's speed (a busy 2-core
// machine must pass), and property tests are bounded by case count.
const SERVER = 'test/**/*.server.test.ts';
const ENGINES = 'test/**/*.engines.test.ts';
const SPARK = 'test/spark/**/*.test.ts';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // two files at a time (vitest's default is one fewer than the cores: one on a 2-core machine);
    // many files wait on the CLI processes they start, so two share the cores well: npm test took
    // 522 s with one (idle 2-core machine) and 447 s with two while Spark's tests ran beside it
    maxWorkers: 2,
    // the longest files first, so that the two workers finish together (test/setup/sequencer.ts)
    sequence: { sequencer: LongestFirst },
    // the CLI tests run bin/sla-audit.js, which needs the build: made once before any test
    globalSetup: ['test/setup/build.ts'],
    projects: [
      // SLA_TEST_PART tells the helpers which part runs: startPostgres refuses to start a server
      // outside `server`, and sqlEngines gives each part its engines
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [SERVER, SPARK], env: { SLA_TEST_PART: 'main' } } },
      { extends: true, test: { name: 'server', include: [SERVER, ENGINES], env: { SLA_TEST_PART: 'server' } } },
      { extends: true, test: { name: 'spark', include: [SPARK], env: { SLA_TEST_PART: 'spark' } } },
    ],
  },
});
