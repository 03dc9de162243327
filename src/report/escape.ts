/**
 * Text from tickets made safe for where it goes. Control characters (C0 but tab and line feed,
 * DEL, C1) and format characters such as bidirectional overrides and zero-width spaces never reach a terminal or a text report raw: they are shown
 * as escapes (\x1b, \u202e), so an id cannot clear a screen, set a window title or reverse a line.
 */
import { hiddenChars, shownEscape } from '../text/escape.js';

// C0 without \t \n, DEL and C1, format characters (text/escape.ts)
const UNSAFE = hiddenChars('\\u0000-\\u0008\\u000B-\\u001F');
/** what JSON.stringify leaves raw of them */
const UNSAFE_JSON = hiddenChars();


/** Terminal- and text-report-safe: control characters and direction overrides shown as escapes. */
export function safeText(s: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s) ? s.replace(UNSAFE, shownEscape) : s;
}

/** JSON text whose strings carry no raw control or direction character (JSON escapes for the ones JSON.stringify leaves raw). */
export function safeJson(json: string): string {
  return json.replace(UNSAFE_JSON, (c) => c.split('').map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''));
}

/** Text safe inside HTML or XML elements and attribute values. */
export function escapeXml(s: string | number): string {
  return safeText(String(s)).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
    // characters XML 1.0 does not allow at all
    .replace(/[\uFFFE\uFFFF]/g, '\uFFFD');
}

/**
 * Every string in a value made safeText (for reports that print text: table, markdown); `oneLine`:
 * a line feed shown as \n too, for text whose every value sits on one line of its own (explain).
 */
export function safeStrings<T>(v: T, oneLine = false): T {
  if (typeof v === 'string') return (oneLine ? safeText(v).replace(/\n/g, '\\n') : safeText(v)) as T;
  if (Array.isArray(v)) return v.map((x) => safeStrings(x, oneLine)) as T;
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [safeText(k), safeStrings(x, oneLine)])) as T;
  }
  return v;
}
