import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/sla-audit.js', import.meta.url));

/** Runs the built CLI as a user would; never throws on a non-zero exit. */
export function cli(args: string[], opts: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {}) {
  return execa('node', [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    reject: false,
    env: { FORCE_COLOR: '0', NO_COLOR: '', CI: '1', ...opts.env },
    extendEnv: true,
    stripFinalNewline: false,
  });
}
