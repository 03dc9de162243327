/** How a control or text-direction character is shown when it must not appear raw: \x1b, \u202e. */
export function shownEscape(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}
