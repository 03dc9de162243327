/**
 * @duckdb/node-api, loaded only when the DuckDB engine runs. It is an optional dependency: its
 * native binary ships inside the npm package, so nothing is downloaded at install time; when it
 * is not installed, the run says how to install it (exit 2).
 */
import { UsageError } from '../errors.js';

type NodeApi = typeof import('@duckdb/node-api');

const INSTALL_HINT = 'npm install @duckdb/node-api';

/** The DuckDB module, or undefined when it is not installed. */
async function duckdbModule(): Promise<NodeApi | undefined> {
  try {
    return await import('@duckdb/node-api');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(String((e as Error).message))) return undefined;
    throw e;
  }
}

/** The DuckDB module; a usage error naming the install command when it is missing. */
export async function requireDuckdb(): Promise<NodeApi> {
  const m = await duckdbModule();
  if (!m) throw new UsageError(`--engine duckdb needs the optional package @duckdb/node-api, which is not installed; install it with: ${INSTALL_HINT}`);
  return m;
}

/** Connections with a query that may be running: interrupted when the run is (a signal). */
const live = new Set<{ interrupt(): void }>();

/** Registers a connection to be interrupted on a signal; returns the call that forgets it. */
export function whileRunning(con: { interrupt(): void }): () => void {
  live.add(con);
  return () => live.delete(con);
}

/**
 * Interrupts every running DuckDB query: on a signal the process ends at once, and without this
 * DuckDB's threads finish the query first (Ctrl-C took 6 to 30 seconds).
 */
export function interruptQueries(): void {
  for (const con of live) {
    try {
      con.interrupt();
    } catch {
      /* already closed */
    }
  }
  live.clear();
}
