/**
 * The run's temporary folders (standard input spooled to re-read it, sorted key runs spilled past
 * memory, a file's parts' runs), registered from when they are made until they are removed, so that
 * an interrupted run (the CLI calls `removeTempFolders` on SIGINT, SIGTERM or SIGHUP before it
 * exits) leaves none behind. Each thread has its own list: a part's thread makes its folders inside
 * the folder of the file's parts, which the main thread registered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const folders = new Set<string>();

/** A new temporary folder `<parent>/<prefix>XXXXXX`, registered. */
export function makeTempFolder(parent: string, prefix: string): string {
  const dir = mkdtempSync(join(parent, prefix));
  folders.add(dir);
  return dir;
}

/** The folder was removed by its owner: no longer to remove on an interrupt. */
export function forgetTempFolder(dir: string): void {
  folders.delete(dir);
}

/** Removes every registered folder with what is in it (on an interrupt). */
export function removeTempFolders(): void {
  for (const dir of folders) {
    try {
      // a part's thread may be writing a run in it as the process ends: retry what it added
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      /* not removable: the system's temporary folder keeps it */
    }
  }
  folders.clear();
}
