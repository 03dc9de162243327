/** The only place that writes files and decides about colour; shared by the commands. */
import { closeSync, openSync, renameSync, unlinkSync, writeSync, copyFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { Zone } from '../time/zone.js';
import { makeParser } from '../input/timestamp.js';

/** Colour on stdout: FORCE_COLOR wins, then NO_COLOR / --no-color, then only on a TTY. */
export function useColor(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (flag === false) return false;
  return !!stream.isTTY && process.env.TERM !== 'dumb';
}

const temps = new Set<string>();
let cleanupInstalled = false;

/** Removes temporary files when the run is interrupted (Ctrl-C, kill), so no half-written report is left behind. */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const t of temps) {
        try {
          unlinkSync(t);
        } catch {
          /* already gone */
        }
      }
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** A temporary path beside the target, so the final rename is atomic on the same file system. */
export function tempPathFor(target: string): string {
  installCleanup();
  const t = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  temps.add(t);
  return t;
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
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw new UsageError(`cannot write ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
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
    throw new UsageError(`cannot write ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Moves a finished temp file into place: a rename, or a copy when it lives on another file system. */
export function moveIntoPlace(tmp: string, target: string): void {
  try {
    renameSync(tmp, target);
  } catch {
    copyIntoPlace(tmp, target);
    unlinkSync(tmp);
  }
  temps.delete(tmp);
}

/** Parses --as-of / --since / --until: ISO 8601, naive means the config time zone. */
export function parseInstant(option: string, value: string, zone: Zone): number {
  if (value === 'now') return Date.now();
  const parser = makeParser('auto', zone, 'dmy');
  const ms = typeof parser === 'string' ? NaN : parser(value);
  if (Number.isNaN(ms)) {
    throw new UsageError(`${option} "${value}" is not a time; use ISO 8601 such as 2026-04-01, 2026-04-01T09:00 or 2026-04-01T09:00:00+08:00`);
  }
  return ms;
}

/** A closed pipe (e.g. `| head`) ends the program quietly. */
export function installPipeGuard(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
