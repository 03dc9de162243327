import { makeParser } from '../../time/timestamp.js';
import { Zone } from '../../time/zone.js';
import type { Path, Problems } from '../positions.js';

/** The zone a config key names, or `fallback` (with a problem when the name is unknown). */
export function zoneAt(name: string | undefined, fallback: Zone, path: Path, problems: Problems): Zone {
  if (name === undefined) return fallback;
  if (!Zone.isValid(name)) {
    problems.add(path, `unknown time zone "${name}" (use an IANA name such as Asia/Shanghai, America/New_York or UTC)`);
    return fallback;
  }
  return Zone.of(name);
}

export const asList = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export interface Range {
  from?: number;
  to?: number;
  fromText?: string;
  toText?: string;
}

/** `effective: { from, to }` as instants (naive dates in the config zone); `to` must be after `from`. */
export function rangeOf(raw: { from?: string | Date; to?: string | Date } | undefined, zone: Zone, path: Path, problems: Problems): Range {
  const out: Range = {};
  for (const edge of ['from', 'to'] as const) {
    const v = raw?.[edge];
    if (v === undefined) continue;
    const textV = v instanceof Date ? v.toISOString() : v;
    const parser = makeParser('auto', zone, 'dmy');
    const ms = typeof parser === 'string' ? NaN : parser(textV);
    if (Number.isNaN(ms)) problems.add([...path, edge], `"${textV}" is not a date (write YYYY-MM-DD or YYYY-MM-DD HH:MM)`);
    else {
      out[edge] = ms;
      out[edge === 'from' ? 'fromText' : 'toText'] = textV;
    }
  }
  if (out.from !== undefined && out.to !== undefined && out.to <= out.from) problems.add(path, `"to" (${out.toText}) is not after "from" (${out.fromText})`);
  return out;
}
