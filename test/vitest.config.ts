import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One config for the whole suite. Timeouts are generous on purpose: no test may depend on the
// machine's speed (a busy 2-core machine must pass), and property tests are bounded by case count.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // the CLI tests run bin/sla-audit.js, which needs the build: made once before any test
    globalSetup: ['test/setup/build.ts'],
  },
});
