/**
 * Report files, written atomically: a temporary file beside the target, then a rename. Every
 * temporary file is registered until it is renamed or removed, so an interrupted run (the CLI
 * calls `removeTemps` on a signal) leaves no half-written report behind.
 *
 * A target that exists and is not a regular file (a character device such as /dev/null or
 * /dev/stdout on a terminal, a named pipe) is never renamed over: its temporary file goes to the
 * system's temporary folder and the finished text is written into the target itself.
 */
import { closeSync, copyFileSync, createWriteStream, lstatSync, openSync, readSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { osReason } from './targets.js';

const temps = new Set<string>();

/** Removes every temporary file still registered (on an interrupt). */
export function removeTemps(): void {
  for (const t of temps) {
    try {
      unlinkSync(t);
    } catch {
      /* already gone */
    }
  }
  temps.clear();
}

/** A target that exists and is neither a regular file nor a folder: a device, a named pipe, a socket. */
function isSpecialFile(target: string): boolean {
  try {
    const st = statSync(target);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}

/** The path a symbolic link names (relative to the link's folder), or undefined for no link. */
function linkOf(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? resolve(dirname(path), readlinkSync(path)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a report really goes: through symbolic links to the file they name, as `>` writes (a rename
 * onto the link itself would replace the link: `sql -o /dev/stdout > out.sql` as root replaced
 * /dev/stdout). A link to nothing yet leads to the file it names, which is created; a loop of links
 * is refused (a rename replaced the link in both cases). A path that is no link is itself.
 */
function placeOf(given: string): string {
  let at = given;
  for (let hops = 0; hops <= 40; hops++) {
    // a link to a device or a pipe is written through as it stands: /dev/stdout's /proc link names
    // `pipe:[…]`, no path, when standard output is a pipe (opening the link itself reaches the pipe)
    if (isSpecialFile(at)) return at;
    const next = linkOf(at);
    if (next === undefined) return at;
    at = next;
  }
  throw new UsageError(`cannot write ${given}: ELOOP (a loop of symbolic links); name a file`);
}

/** Writes all of `data` into an open file (a pipe may take it in parts). */
function writeAll(fd: number, data: Buffer): void {
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
}

/**
 * Writes into a device or named pipe as `>` does (open for writing, no rename, no temporary file).
 * A reader that stops early (`-o /dev/stdout | head`) ends the writing quietly, as a closed
 * standard output does (cli.ts).
 */
function writeInto(target: string, write: (fd: number) => void): void {
  const fd = openSync(target, 'w');
  try {
    write(fd);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
  } finally {
    closeSync(fd);
  }
}

/** Copies a finished file into a device or named pipe, in chunks. */
function copyInto(src: string, target: string): void {
  const from = openSync(src, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    writeInto(target, (fd) => {
      for (let n; (n = readSync(from, buf, 0, buf.length, null)) > 0; ) writeAll(fd, buf.subarray(0, n));
    });
  } finally {
    closeSync(from);
  }
}

/**
 * A temporary path beside the target, so the final rename is atomic on the same file system (in
 * the system's temporary folder for a device or named pipe, which is written into, not renamed over).
 */
export function tempPathFor(target: string): string {
  const near = isSpecialFile(target) ? tmpdir() : dirname(target);
  const t = join(near, `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  temps.add(t);
  return t;
}

/** A temporary file that is no longer needed (or was moved into place). */
export function forgetTemp(path: string, remove: boolean): void {
  if (remove) {
    try {
      unlinkSync(path);
    } catch {
      /* already gone */
    }
  }
  temps.delete(path);
}

/** Writes a whole file atomically: temp file, fsync-free write, rename over the target. */
export function writeFileAtomic(given: string, content: string): void {
  const target = placeOf(given);
  if (isSpecialFile(target)) {
    try {
      return writeInto(target, (fd) => writeAll(fd, Buffer.from(content)));
    } catch (e) {
      throw new UsageError(`cannot write ${given}: ${osReason(e)}`);
    }
  }
  const tmp = tempPathFor(target);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    writeSync(fd, content);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
    temps.delete(tmp);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    forgetTemp(tmp, true);
    throw new UsageError(`cannot write ${given}: ${osReason(e)}`);
  }
}

/** Copies a finished file to a target, atomically (copy beside the target, then rename). */
export function copyIntoPlace(src: string, given: string): void {
  const target = placeOf(given);
  if (isSpecialFile(target)) {
    try {
      return copyInto(src, target);
    } catch (e) {
      throw new UsageError(`cannot write ${given}: ${osReason(e)}`);
    }
  }
  const staged = tempPathFor(target);
  try {
    copyFileSync(src, staged);
    renameSync(staged, target);
    temps.delete(staged);
  } catch (e) {
    forgetTemp(staged, true);
    throw new UsageError(`cannot write ${given}: ${osReason(e)}`);
  }
}

/** Moves a finished temp file into place: a rename, or a copy when it lives on another file system. */
export function moveIntoPlace(tmp: string, given: string): void {
  let target: string;
  try {
    target = placeOf(given);
  } catch (e) {
    forgetTemp(tmp, true);
    throw e;
  }
  if (isSpecialFile(target)) {
    try {
      copyIntoPlace(tmp, target);
    } finally {
      forgetTemp(tmp, true);
    }
    return;
  }
  try {
    renameSync(tmp, target);
  } catch {
    try {
      copyIntoPlace(tmp, target);
    } finally {
      forgetTemp(tmp, true);
    }
  }
  temps.delete(tmp);
}

/**
 * Streams text into a new temporary file beside `near` and returns its path (the caller puts it
 * into place). A write that fails (a full disk, a size limit) is one error naming `shown`, and the
 * temporary file goes.
 */
export async function writeTemp(near: string, shown: string, chunks: AsyncIterable<string>): Promise<string> {
  const path = tempPathFor(near);
  const w = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => w.on('error', (e) => reject(new UsageError(`cannot write ${shown}: ${osReason(e)}`))));
  failed.catch(() => undefined);
  try {
    for await (const chunk of chunks) if (!w.write(chunk)) await Promise.race([once(w, 'drain'), failed]);
    w.end();
    await Promise.race([once(w, 'finish'), failed]);
    return path;
  } catch (e) {
    w.destroy();
    forgetTemp(path, true);
    throw e;
  }
}
