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
