import { UsageError } from '../errors.js';
import { makeParser } from './timestamp.js';
import type { Zone } from './zone.js';

/** Parses --as-of / --since / --until: ISO 8601, naive means the config time zone; "now" is now. */
export function parseInstant(option: string, value: string, zone: Zone): number {
  if (value === 'now') return Date.now();
  const parser = makeParser('auto', zone, 'dmy');
  const ms = typeof parser === 'string' ? NaN : parser(value);
  if (Number.isNaN(ms)) {
    throw new UsageError(`${option} "${value}" is not a time; use ISO 8601 such as 2026-04-01, 2026-04-01T09:00 or 2026-04-01T09:00:00+08:00`);
  }
  return ms;
}
