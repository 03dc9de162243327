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
