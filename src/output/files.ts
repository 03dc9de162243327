/**
 * Report files, written atomically: a temporary file beside the target, then a rename. Every
 * temporary file is registered until it is renamed or removed, so an interrupted run (the CLI
 * calls `removeTemps` on a signal) leaves no half-written report behind.
 */
import { closeSync, copyFileSync, createWriteStream, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
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

/** A temporary path beside the target, so the final rename is atomic on the same file system. */
export function tempPathFor(target: string): string {
  const t = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
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
export function writeFileAtomic(target: string, content: string): void {
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
    throw new UsageError(`cannot write ${target}: ${osReason(e)}`);
  }
}

/** Copies a finished file to a target, atomically (copy beside the target, then rename). */
export function copyIntoPlace(src: string, target: string): void {
  const staged = tempPathFor(target);
  try {
    copyFileSync(src, staged);
    renameSync(staged, target);
    temps.delete(staged);
  } catch (e) {
    forgetTemp(staged, true);
    throw new UsageError(`cannot write ${target}: ${osReason(e)}`);
  }
}

/** Moves a finished temp file into place: a rename, or a copy when it lives on another file system. */
export function moveIntoPlace(tmp: string, target: string): void {
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
