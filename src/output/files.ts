/**
 * Report files, written atomically: a temporary file beside the target, then a rename. Every
 * temporary file is registered until it is renamed or removed, so an interrupted run (the CLI
 * calls `removeTemps` on a signal) leaves no half-written report behind.
 */
import { closeSync, copyFileSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
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
