import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Builds dist/ once for the tests that run the CLI as a process, as `npm run build` does: tsc
 * (incremental: quick when nothing changed), then the CLI's bundle that bin/sla-audit.js runs.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['src/bundle.mjs'], { cwd: root, stdio: 'inherit' });
}
