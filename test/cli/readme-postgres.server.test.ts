/**
 * README's lines that read a PostgreSQL database ($DATABASE_URL) run as shown, against a real
 * server (Debian's, started here on 127.0.0.1): each ```sh block that has an `npx sla-audit` line
 * reading "$DATABASE_URL" is run whole — its psql lines load the tickets, its sla-audit lines read
 * them — with DATABASE_URL set to the server, in a copy of the clone's files the lines name. The
 * exit code of each block must be 0 or 1 (an objective may fail), as every README line's.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresForTests, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { BIN, ROOT } from './run.js';

const { pg, skip: reason } = postgresForTests();
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /^npx sla-audit .*\$DATABASE_URL/m.test(b));

describe.skipIf(!!reason)(`README's PostgreSQL lines${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let server: PgServer;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgres(pg!);
    // the lines write report files beside the fixtures they read: a copy, so the clone stays clean
    dir = mkdtempSync(join(tmpdir(), 'sla-readme-pg-'));
    cpSync(join(ROOT, 'fixtures'), join(dir, 'fixtures'), { recursive: true });
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('there is such a block', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  test.each(blocks.map((b, i) => [i + 1, b] as const))('block %i runs as shown', async (_i, block) => {
    // psql: the server's own client (PATH may have none); npx sla-audit: this clone's build
    const script = block.replace(/^psql /gm, `"${pg!.psql}" `).replace(/npx sla-audit/g, `node ${BIN}`);
    const r = await execa('bash', ['-e', '-c', script], { cwd: dir, reject: false, env: { DATABASE_URL: server.url, FORCE_COLOR: '0', CI: '1' }, all: true });
    expect([0, 1], `${block}\n${r.all}`).toContain(r.exitCode);
    // a report was written where the block asks for one
    for (const out of block.matchAll(/-o (\S+\.(?:json|html|xlsx|md))/g)) expect(existsSync(join(dir, out[1])), out[1]).toBe(true);
  });
});
