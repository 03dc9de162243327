/**
 * olas: operational level agreements per assignment group (GLPI's OLAs, Zendesk's group SLAs). Each
 * names a group of the history's group column, a target for every stint the group holds the ticket,
 * and optionally its own calendar, pauses and warn_at (else the ticket's policy's).
 */
import type { BusinessCalendar } from '../../calendar/calendar.js';
import { closest } from '../messages.js';
import type { Path, Problems } from '../positions.js';
import { olaMetric } from '../schema.js';
import type { RawConfig } from '../zod-schema.js';
import type { Ola } from '../types.js';
import { parseDuration, parsePercent } from '../values.js';
import type { Broken } from '../salvage.js';
import { targetProblem } from './policies.js';

/** A group name as the history is matched against it: trimmed, NFKC, case-insensitive. */
export const groupKey = (g: string) => g.normalize('NFKC').trim().toLowerCase();

export function resolveOlas(raw: RawConfig['olas'], calendars: Map<string, BusinessCalendar>, broken: Broken, problems: Problems, index?: number[]): Ola[] {
  const out: Ola[] = [];
  const seen = new Map<string, number>();
  (raw ?? []).forEach((ro, i) => {
    const p: Path = ['olas', index?.[i] ?? i];
    const group = ro.group.trim();
    const key = groupKey(group);
    if (!key) return void problems.add([...p, 'group'], 'is empty; name the assignment group as the history writes it (技术, Service Desk, ...)');
    if (seen.has(key)) return void problems.add([...p, 'group'], `group "${group}" has an OLA already (olas[${seen.get(key)}]); give each group one OLA`);
    seen.set(key, index?.[i] ?? i);
    let calendar: BusinessCalendar | undefined;
    if (ro.calendar !== undefined) {
      calendar = calendars.get(ro.calendar);
      if (!calendar && !broken.calendars.has(ro.calendar)) {
        const known = [...calendars.keys()];
        const near = closest(ro.calendar, known);
        problems.add([...p, 'calendar'], `unknown calendar "${ro.calendar}"${near ? ` (did you mean "${near}"?)` : ''} (known: ${known.join(', ')})`);
      }
    }
    const target = parseDuration(ro.target);
    if (typeof target === 'string') return void problems.add([...p, 'target'], target);
    if (ro.calendar === undefined && ((target.kind === 'time' && target.days) || target.kind === 'mo')) {
      // the policies' calendars vary: 24-hour days and calendar months need the OLA's own 24x7
      const what = target.kind === 'mo' ? 'calendar months' : 'd (24-hour days)';
      return void problems.add([...p, 'target'], `"${ro.target}" uses ${what}, which only a 24x7 calendar has; write business days (bd) or business hours (h), or set calendar: 24x7 on this OLA`);
    }
    const wrong = ro.calendar !== undefined ? targetProblem(target, ro.target, ro.calendar, calendar) : undefined;
    if (wrong) return void problems.add([...p, 'target'], wrong);
    let warnAt: number | undefined;
    if (ro.warn_at !== undefined) {
      const w = parsePercent(ro.warn_at);
      if (typeof w === 'string') problems.add([...p, 'warn_at'], w);
      else warnAt = w;
    }
    const pauseOn = ro.pause_on === undefined ? undefined : new Set(ro.pause_on.map((s) => s.trim().toLowerCase()).filter((s) => s));
    out.push({ group, key, metric: olaMetric(group), target, ...(calendar ? { calendar } : {}), ...(pauseOn ? { pauseOn, pauseText: ro.pause_on!.map((x) => x.trim()).filter((x) => x) } : {}), ...(warnAt !== undefined ? { warnAt } : {}) });
  });
  return out;
}
