/** Decisions about the terminal the output goes to. */

/** Colour on stdout: FORCE_COLOR wins, then NO_COLOR / --no-color, then only on a TTY. */
export function useColor(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (flag === false) return false;
  return !!stream.isTTY && process.env.TERM !== 'dumb';
}
