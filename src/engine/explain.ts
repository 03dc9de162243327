/**
 * One ticket's story, for `explain`: the policies tried and why, the calendar, clock start, pauses,
 * business time counted per local day, the target, due time and verdict data.
 */
import type { Config } from '../config/types.js';
import { MS_PER_DAY, formatDay, weekdayOfDay } from '../time/civil.js';
import { minutes } from '../time/units.js';
import { netElapsed } from './evaluate.js';
import { PolicyMatcher } from './policy.js';
import type { EvaluatedTicket, Explanation, MetricResult } from './result.js';

const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function explainTicket(ev: EvaluatedTicket, config: Config, asOf: number): Explanation {
  const { ticket: t, policy } = ev;
  const zone = config.zone;
  return {
    id: t.id,
    file: t.file,
    row: t.row,
    policy: policy?.name ?? null,
    tried: new PolicyMatcher(config, t.columns).explain(t),
    calendar: policy ? { name: policy.calendar.name, timezone: policy.calendar.zone.name } : null,
    created_at: zone.format(t.created),
    priority: t.priority || null,
    metrics: ev.results.map((r) => explainMetric(ev, r, config, asOf)),
  };
}

type MetricStory = Explanation['metrics'][number];

function explainMetric(ev: EvaluatedTicket, r: MetricResult, config: Config, asOf: number): MetricStory {
  const { ticket: t, policy } = ev;
  const zone = config.zone;
  const fmt = (ms: number) => (Number.isFinite(ms) ? zone.format(ms) : null);
  const cal = policy?.calendar;
  const end = Number.isFinite(r.completed) ? r.completed : asOf;
  const na = r.status === 'not_applicable' || !cal;
  const pauses = (r.excluded ?? [])
    .filter((e) => e.start < end)
    .map((e) => ({
      from: zone.format(e.start),
      to: Number.isFinite(e.end) && e.end <= end ? zone.format(e.end) : null,
      status: e.status,
      kind: e.kind,
      business_minutes: cal ? minutes(cal.elapsed(e.start, Math.min(e.end, end)))! : 0,
    }));
  const target = policy?.targets[r.metric].get(t.priority) ?? policy?.targets[r.metric].get('default');
  return {
    metric: r.metric,
    status: r.status,
    target: na ? null : target?.text ?? null,
    target_minutes: na ? null : minutes(r.targetMs),
    clock_start: na ? null : fmt(r.clockStart),
    due_at: na ? null : fmt(r.due),
    completed_at: fmt(r.completed),
    measured_to: zone.format(end),
    elapsed_minutes: na ? null : minutes(r.elapsedMs),
    over_minutes: na ? null : minutes(r.elapsedMs - r.targetMs),
    ...(r.fromMinutes ? { from_vendor_minutes: true } : {}),
    pauses,
    per_day: na || r.fromMinutes ? [] : perDay(ev, r, end),
  };
}

/** Business time counted on each local day of the calendar from creation to `end`, with holidays named. */
function perDay(ev: EvaluatedTicket, r: MetricResult, end: number): MetricStory['per_day'] {
  const cal = ev.policy!.calendar;
  const cz = cal.zone;
  const out: MetricStory['per_day'] = [];
  for (let d = cz.localDay(ev.ticket.created); d <= cz.localDay(end); d++) {
    const from = Math.max(ev.ticket.created, cz.wallToInstant(d * MS_PER_DAY));
    const to = Math.min(end, cz.wallToInstant((d + 1) * MS_PER_DAY));
    const ms = netElapsed(cal, from, to, r.excluded);
    const holiday = cal.holidayName(d);
    if (ms > 0 || holiday) out.push({ date: formatDay(d), weekday: DAY[weekdayOfDay(d)], business_minutes: minutes(ms)!, ...(holiday ? { holiday } : {}) });
  }
  return out;
}
