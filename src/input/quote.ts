/**
 * How cell text appears in problem messages. A cell is quoted only when it is short and holds no
 * "@" (an email, maybe a password); otherwise it is described by its length, so a 3 MB cell never
 * becomes a 3 MB line and personal data is not echoed. Ids are always named, cut to 40 characters.
 */
const MAX = 40;

const len = (n: number) => `${n.toLocaleString('en-US')} character${n === 1 ? '' : 's'}`;

/** Whether a cell may be quoted in a message. */
export function quotable(v: string): boolean {
  const t = v.trim();
  return t.length <= MAX && !t.includes('@');
}

/** A cell described without its text: "52 characters, not a timestamp". */
export function described(v: string, what: string): string {
  return `${len(v.trim().length)}, not ${what}`;
}

/** A ticket id for a message: "T123", or "T123…" (3,145,728 characters) when long. */
export function quoteId(id: string): string {
  return id.length <= MAX ? `"${id}"` : `"${id.slice(0, MAX)}…" (${len(id.length)})`;
}
