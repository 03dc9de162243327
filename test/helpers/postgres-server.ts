/**
 * A throwaway PostgreSQL server for tests that need the real thing over a socket (psql's \copy):
 * Debian's binaries, a cluster made by initdb in a temporary folder, listening on 127.0.0.1 on a
 * free port, trust authentication, stopped and removed by `stop`. As root (CI), initdb and the
 * server run as the `postgres` user the Debian package creates (PostgreSQL refuses to run as root).
 *
 * Where such tests go: a test file that starts a server is named `*.server.test.ts` (beside the
 * tests of its topic, e.g. test/sql/postgres-plans.server.test.ts); SQL cases written once for
 * every engine through sqlEngines (test/helpers/sql-engines.ts) are named `*.engines.test.ts`.
 * `npm test` runs neither server file nor server engine; `npm run test:server` (which .ci/run
 * calls after `npm test`) runs them: the vitest config's `server` part, by those two names.
 * startPostgres refuses to start a server in any other part, so a file named otherwise fails
 * under `npm test` with this rule in its message. Without the binaries a server test is skipped
 * here, saying why in its title (postgresForTests); under CI that is a failure, never a skip.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface PgBinaries {
  bin: string;
  psql: string;
}

const which = (cmd: string): string | undefined => {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};

/** @public (test/bench/postgres-sql.mjs) Debian's server binaries and psql, or why they cannot be used here (the reason a test skips with). */
export function findPostgres(): PgBinaries | string {
  const dirs: string[] = [];
  const ctl = which('pg_ctl');
  if (ctl) dirs.push(join(realpathSync(ctl), '..'));
  if (existsSync('/usr/lib/postgresql')) {
    for (const v of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))) dirs.push(`/usr/lib/postgresql/${v}/bin`);
  }
  const bin = dirs.find((d) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(d, b))));
  if (!bin) return 'no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH or in /usr/lib/postgresql/*/bin: apt-get install postgresql (.ci/run does)';
  const psql = existsSync(join(bin, 'psql')) ? join(bin, 'psql') : which('psql');
  if (!psql) return 'no psql: apt-get install postgresql-client';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no postgres user to run the server as (the Debian package creates it)';
    }
  }
  return { bin, psql };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PgServer {
  url: string;
  /** the postmaster's process id (its backends are its children: the bench reads their memory) */
  postmasterPid(): number;
  /** runs SQL (or a psql script) through psql; throws on the first error */
  psql(sql: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * What a server test file needs at collection: the binaries, or why its tests are skipped here.
 * Under CI (the CI variable set) missing binaries throw instead: the file fails, it never skips.
 */
export function postgresForTests(): { pg: PgBinaries; skip?: undefined } | { pg?: undefined; skip: string } {
  serverPartOnly();
  const pg = findPostgres();
  if (typeof pg !== 'string') return { pg };
  if (process.env.CI) throw new Error(`CI runs the PostgreSQL server tests, and cannot here: ${pg}`);
  return { skip: pg };
}

/** Under vitest, only the `server` part (npm run test:server) has a server: see the rule above. */
function serverPartOnly(): void {
  if (process.env.VITEST && process.env.SLA_TEST_PART !== 'server') {
    throw new Error('a test that starts a PostgreSQL server is named *.server.test.ts (or, run on every SQL engine through sqlEngines, *.engines.test.ts): npm run test:server runs it, npm test does not');
  }
}

export async function startPostgres(pg: PgBinaries): Promise<PgServer> {
  serverPartOnly();
  const dir = mkdtempSync(join(tmpdir(), 'sla-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const as = (cmd: string, args: string[]) => (asRoot ? execa('runuser', ['-u', 'postgres', '--', join(pg.bin, cmd), ...args]) : execa(join(pg.bin, cmd), args));
  const data = join(dir, 'data');
  await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // listens on 127.0.0.1 only, its socket in the temporary folder; no fsync: the data is thrown away
  await as('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '120', '-o', `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off`, 'start']);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    postmasterPid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    async psql(sql: string) {
      const r = await execa(pg.psql, [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-'], { input: sql });
      return r.stdout;
    },
    async stop() {
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
