import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, ROOT } from './run.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const run = (cmd: string) =>
  execa('bash', ['-c', `${cmd.replace(/npx sla-audit/g, `node ${BIN}`)} 2>&1`], {
    cwd: ROOT, reject: false, env: { FORCE_COLOR: '0', CI: '1' }, stripFinalNewline: false,
  });

/** ```console blocks: "$ command", its output, then optionally "$ echo $?" and the exit code. */
function sessions() {
  const out: { cmd: string; output: string; code?: number }[] = [];
  for (const block of readme.matchAll(/```console\n([\s\S]*?)```/g)) {
    const lines = block[1].split('\n');
    let i = 0;
    while (i < lines.length) {
      if (!lines[i].startsWith('$ ')) {
        i++;
        continue;
      }
      const cmd = lines[i++].slice(2);
      const output: string[] = [];
      while (i < lines.length && !lines[i].startsWith('$ ')) output.push(lines[i++]);
      let code: number | undefined;
      if (lines[i] === '$ echo $?') {
        code = Number(lines[i + 1]);
        i += 2;
      }
      out.push({ cmd, output: output.join('\n').replace(/\n+$/, ''), code });
    }
  }
  return out;
}

describe('README shows real output', () => {
  // a session's line is run once, here: its output is README's, and its exit code the one README
  // shows, or else 0 or 1 as every npx sla-audit line's (the next test runs the other lines)
  test.each(sessions().map((s) => [s.cmd, s] as const))('%s', async (_cmd, s) => {
    const r = await run(s.cmd);
    expect(r.stdout.replace(/\n+$/, '')).toBe(s.output);
    if (s.code !== undefined) expect(r.exitCode).toBe(s.code);
    else expect([0, 1], `${s.cmd}\n${r.stdout}`).toContain(r.exitCode);
  });

  test('every npx sla-audit line in README runs in a fresh clone (exit 0 or 1 unless README shows 2)', async () => {
    const shown = new Set(sessions().map((s) => s.cmd));
    // the lines of "Outside the clone" run in the folder the tarball was installed in: test/cli/install.test.ts runs them
    const inClone = readme.replace(/### Outside the clone\n[\s\S]*?(?=\n## )/, '');
    const lines = [...inClone.matchAll(/^(?:\$ )?(?:npm ci && )?(npx sla-audit [^\n]+)$/gm)].map((m) => m[1]);
    expect(lines.length).toBeGreaterThan(3);
    // each line once, in README's order (a later line may read what an earlier one wrote); the
    // sessions' lines ran above, with their exit codes checked there
    // a line that reads a database ($DATABASE_URL) runs against a real server, with its block's psql lines: readme-postgres.server.test.ts
    const rest = [...new Set(lines)].filter((line) => !shown.has(line) && !line.includes('$DATABASE_URL'));
    expect(rest.length).toBeGreaterThan(3);
    for (const line of rest) {
      const r = await run(line);
      expect([0, 1], `${line}\n${r.stdout}`).toContain(r.exitCode);
    }
  });
});
