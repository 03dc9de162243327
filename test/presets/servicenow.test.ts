import { expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';

test('init --preset servicenow writes a starter that validate accepts', async () => {
  const d = mkdtempSync(join(tmpdir(), 'sla-servicenow-'));
  expect((await cli(['init', '--preset', 'servicenow'], { cwd: d })).exitCode).toBe(0);
  expect((await cli(['validate'], { cwd: d })).exitCode).toBe(0);
});
