/**
 * Where reports may go: checked before anything is read. A report is never written over an input
 * (the same file, also through a symbolic or hard link), never onto a directory, and a missing
 * folder is created.
 */
import { fstatSync, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** "ENOSPC (no space left on device)": an error code with what it means. */
export function osReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOSPC: 'no space left on device', EDQUOT: 'disk quota exceeded', EFBIG: 'file too large', EACCES: 'permission denied', EPERM: 'not permitted',
    EROFS: 'read-only file system', EISDIR: 'is a directory', ENOTDIR: 'a part of the path is not a directory', ENOENT: 'no such file or folder', EIO: 'input/output error',
  };
  return code ? `${code}${why[code] ? ` (${why[code]})` : ''}` : (e as Error).message;
}

function statOf(path: string): Stats | undefined {
  try {
    // "-": standard input, which may be a file redirected in (check - -o t.csv < t.csv)
    return path === '-' ? fstatSync(0) : statSync(path);
  } catch {
    return undefined;
  }
}

export interface Input {
  path: string;
  /** how the input was given, for the message: "the tickets", "--events", "--baseline", "the config" */
  what: string;
}

function isLoop(path: string): boolean {
  try {
    statSync(path);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ELOOP';
  }
}

/** An input path as given ("-" is standard input) with what it is, for checkTarget. */
function inputOf(path: string, what: string): Input {
  return path === '-' ? { path, what: `${what} (standard input)` } : { path, what };
}

/** The files a config reads besides itself (its calendars' ical: files), as inputs. */
export function configReads(config: { reads?: string[] }): Input[] {
  return (config.reads ?? []).map((path) => ({ path, what: "a holiday calendar the config reads (ical:)" }));
}

/**
 * Everything a run reads, which no report may be written over: the tickets (or the config's
 * tickets.path), the --events and --messages files, any other input (check's --baseline), the config.
 */
export function runInputs(tickets: string[], o: { events: string[]; messages: string[] }, ticketsPath: string | undefined, configPath: string, more: Input[] = []): Input[] {
  return [
    ...(tickets.length ? tickets : ticketsPath ? [ticketsPath] : []).map((path) => inputOf(path, 'a tickets file')),
    ...o.events.map((path) => inputOf(path, 'an --events file')),
    ...o.messages.map((path) => inputOf(path, 'a --messages file')),
    ...more,
    { path: configPath, what: 'the config' },
  ];
}

/** The -o files of a command whose format follows the extension (ext), each checked as checkTarget does. */
export function reportTargets<F>(out: string[], ext: Record<string, F>, inputs: Input[]): { path: string; fmt: F }[] {
  return out.map((file) => {
    const fmt = ext[file.slice(file.lastIndexOf('.')).toLowerCase()];
    if (fmt === undefined) {
      refuseFolder(file, '-o');
      throw new UsageError(`-o ${file}: unknown extension (use ${Object.keys(ext).join(' ')})`);
    }
    const path = resolve(file);
    checkTarget(path, file, '-o', inputs);
    return { path, fmt };
  });
}

/** For an -o name without a known extension: "is a directory" when it is one, rather than "unknown extension". */
export function refuseFolder(file: string, option: string): void {
  if (statOf(file)?.isDirectory()) throw new UsageError(`${option} ${file}: is a directory; give a file name, e.g. ${file.replace(/\/*$/, '')}/report.json`);
}

/**
 * Refuses a report path that is a directory or the same file as an input, and creates a missing
 * folder for it. `shown` is the path as the user wrote it.
 */
export function checkTarget(path: string, shown: string, option: string, inputs: Input[]): void {
  const st = statOf(path);
  if (!st && isLoop(path)) throw new UsageError(`${option} ${shown}: is a loop of symbolic links (ELOOP); give a file name`);
  if (st?.isDirectory()) throw new UsageError(`${option} ${shown}: is a directory; give a file name, e.g. ${shown.replace(/\/*$/, '')}/report${option === '--summary' ? '.md' : '.json'}`);
  if (st) {
    for (const input of inputs) {
      const i = statOf(input.path);
      if (i && i.dev === st.dev && i.ino === st.ino) {
        throw new UsageError(`${option} ${shown}: is ${input.what}${input.path === '-' ? '' : ` (${input.path})`}; a report is never written over an input, give it another name`);
      }
    }
  }
  try {
    makeFolder(dirname(path));
  } catch (e) {
    throw new UsageError(`${option} ${shown}: cannot create its folder ${dirname(path)}: ${osReason(e)}`);
  }
}

/**
 * Creates a missing folder and its missing parents, one at a time from the nearest that exists.
 * (Node's recursive mkdirSync loops forever under /proc, where mkdir says ENOENT and EEXIST in turn.)
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  let st = statOf(at);
  while (!st && dirname(at) !== at) {
    missing.push(at);
    at = dirname(at);
    st = statOf(at);
  }
  if (st && !st.isDirectory()) throw Object.assign(new Error(`${at} is a file`), { code: 'ENOTDIR' });
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      // made meanwhile by another run: fine when it is a folder
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statOf(d)?.isDirectory()) throw e;
    }
  }
}
