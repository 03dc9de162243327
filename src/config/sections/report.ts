/** report: the language of human-facing labels and the reports' title (stable names never change with them). */
import type { Problems } from '../positions.js';
import type { RawConfig } from '../zod-schema.js';
import type { ReportConfig } from '../types.js';
import { hiddenChars, shownEscape } from '../../text/escape.js';

/** The longest title a heading takes: a line in a terminal or a page's header. */
const MAX_TITLE = 200;

/** What a title may not hold: control characters (C0, DEL, C1) and format characters (bidirectional marks, zero-width space…: text/escape.ts). */
const UNSAFE = hiddenChars('\\u0000-\\u001F');
const escaped = (s: string) => s.replace(UNSAFE, shownEscape);

export function resolveReport(raw: RawConfig['report'], problems: Problems): ReportConfig {
  const out: ReportConfig = {};
  if (raw?.lang !== undefined) out.lang = raw.lang;
  if (raw?.title !== undefined) {
    const title = String(raw.title).replace(/\s+/g, ' ').trim();
    if (!title) problems.add(['report', 'title'], 'an empty title; leave report.title out for the default heading, or write one such as "客服 SLA 月报"');
    else if (new RegExp(UNSAFE.source, 'u').test(title)) problems.add(['report', 'title'], `"${escaped(title)}" holds a control or text-direction character, which would reach terminals and reports; write the title without it`);
    else if (title.length > MAX_TITLE) problems.add(['report', 'title'], `a title of ${title.length} characters is too long for a heading (at most ${MAX_TITLE}); shorten it`);
    else out.title = title;
  }
  return out;
}
