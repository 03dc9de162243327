/**
 * The SQL engines a hand-worked SQL test runs on. Such a file is named `*.engines.test.ts`: under
 * `npm test` its cases run on DuckDB and PGlite in-process, under `npm run test:server` on a real
 * PostgreSQL server (Debian's, started on 127.0.0.1 for the file's tests) — see
 * test/helpers/postgres-server.ts. Without the server's binaries that engine is skipped here,
 * saying why; CI installs them, and there a missing server fails the file.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { postgresForTests, startPostgres, type PgServer } from './postgres-server.js';
import { duckdbRunner, pgliteRunner, pgRunner, type SqlRunner } from './sql-parity.js';

export interface SqlEngine {
  name: string;
  /** why it is skipped here, or undefined */
  skip?: string;
  make(): Promise<SqlRunner>;
}

/** The engines of this part of the suite; the real server is started before the file's tests and stopped after them. */
export function sqlEngines(): SqlEngine[] {
  const file = expect.getState().testPath ?? '';
  if (!file.endsWith('.engines.test.ts')) {
    throw new Error(`${file}: a test on every SQL engine is named *.engines.test.ts, so that npm test runs it on DuckDB and PGlite and npm run test:server on the PostgreSQL server`);
  }
  if (process.env.SLA_TEST_PART !== 'server') {
    return [
      { name: 'DuckDB', make: duckdbRunner },
      { name: 'PostgreSQL (PGlite)', make: pgliteRunner },
    ];
  }
  const { pg, skip } = postgresForTests();
  let server: PgServer | undefined;
  if (pg) {
    beforeAll(async () => {
      server = await startPostgres(pg);
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });
  }
  return [{ name: 'PostgreSQL (server)', skip, make: () => pgRunner(server!.url) }];
}
