/**
 * The SQL engines a hand-worked SQL test runs on: DuckDB and PGlite in-process, and a real
 * PostgreSQL server (Debian's, started on 127.0.0.1 for the file's tests) where its binaries are
 * here; CI installs them, so there it never skips.
 */
import { afterAll, beforeAll } from 'vitest';
import { findPostgres, startPostgres, type PgServer } from './postgres-server.js';
import { duckdbRunner, pgliteRunner, pgRunner, type SqlRunner } from './sql-parity.js';

export interface SqlEngine {
  name: string;
  /** why it is skipped here, or undefined */
  skip?: string;
  make(): Promise<SqlRunner>;
}

/** The engines; the real server is started before the file's tests and stopped after them. */
export function sqlEngines(): SqlEngine[] {
  const pg = findPostgres();
  let server: PgServer | undefined;
  if (typeof pg !== 'string') {
    beforeAll(async () => {
      server = await startPostgres(pg);
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });
  }
  return [
    { name: 'DuckDB', make: duckdbRunner },
    { name: 'PostgreSQL (PGlite)', make: pgliteRunner },
    { name: 'PostgreSQL (server)', skip: typeof pg === 'string' ? pg : undefined, make: () => pgRunner(server!.url) },
  ];
}
