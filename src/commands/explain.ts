import { Command, Option } from 'commander';
import { InputError } from '../errors.js';
import type { Policy } from '../config/types.js';
import { audit } from '../engine/audit.js';
import { netElapsed, type MetricResult } from '../engine/evaluate.js';
import type { PolicyMatcher, MatchStep } from '../engine/policy.js';
import type { Ticket } from '../input/tickets.js';
import type { Zone } from '../time/zone.js';
import { MS_PER_DAY, formatDay, weekdayOfDay } from '../time/civil.js';
import { duration, minutes } from '../report/format.js';
import { addInputOptions, loadConfigFrom } from './check.js';
import { parseInstant } from './io.js';

const HELP = `
Examples:
  $ sla-audit explain T10005 -c sla.yaml tickets.csv --as-of 2026-11-01
  $ sla-audit explain INC0000045 --events history.csv -f json

Shows the matched policy (and why earlier ones did not match), the calendar, when the clock
started, every pause, business time counted per day, the target, the due time, and the verdict.`;

const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface Explanation {
  id: string;
  file: string;
  row: number;
  policy: string | null;
  tried: MatchStep[];
  calendar: { name: string; timezone: string } | null;
  created_at: string;
  priority: string | null;
  metrics: {
    metric: string;
    status: string;
    target: string | null;
    target_minutes: number | null;
    clock_start: string | null;
    due_at: string | null;
    completed_at: string | null;
    measured_to: string;
    elapsed_minutes: number | null;
    over_minutes: number | null;
    from_vendor_minutes?: boolean;
    pauses: { from: string; to: string | null; status: string; kind: string; business_minutes: number }[];
    per_day: { date: string; weekday: string; business_minutes: number; holiday?: string }[];
  }[];
}

export function explainTicket(t: Ticket, policy: Policy | undefined, results: MetricResult[], tried: MatchStep[], zone: Zone, asOf: number): Explanation {
  const fmt = (ms: number) => (Number.isFinite(ms) ? zone.format(ms) : null);
  return {
    id: t.id,
    file: t.file,
    row: t.row,
    policy: policy?.name ?? null,
    tried,
    calendar: policy ? { name: policy.calendar.name, timezone: policy.calendar.zone.name } : null,
    created_at: zone.format(t.created),
    priority: t.priority || null,
    metrics: results.map((r) => {
      const cal = policy?.calendar;
      const end = Number.isNaN(r.completed) ? asOf : r.completed;
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
      const perDay: Explanation['metrics'][number]['per_day'] = [];
      if (cal && !na && !r.fromMinutes) {
        const cz = cal.zone;
        for (let d = cz.localDay(t.created); d <= cz.localDay(end); d++) {
          const from = Math.max(t.created, cz.wallToInstant(d * MS_PER_DAY));
          const to = Math.min(end, cz.wallToInstant((d + 1) * MS_PER_DAY));
          const ms = netElapsed(cal, from, to, r.excluded);
          const holiday = cal.holidayName(d);
          if (ms > 0 || holiday) perDay.push({ date: formatDay(d), weekday: DAY[weekdayOfDay(d)], business_minutes: minutes(ms)!, ...(holiday ? { holiday } : {}) });
        }
      }
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
        per_day: perDay,
      };
    }),
  };
}

function mins(m: number | null): string {
  return m === null ? '–' : duration(m * 60_000);
}

export function explainText(e: Explanation): string {
  const out: string[] = [];
  const short = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '–');
  out.push(`Ticket ${e.id}  (${e.file} row ${e.row})`);
  out.push(`  created     ${short(e.created_at)}${e.priority ? `  · priority ${e.priority}` : ''}`);
  for (const step of e.tried) {
    out.push(step.matched ? `  policy      ${step.policy} (policy ${e.tried.length} in order)` : `  not policy  ${step.policy}: ${step.reason}`);
  }
  if (!e.policy) out.push('  policy      none matched: both metrics are not_applicable');
  if (e.calendar) out.push(`  calendar    ${e.calendar.name} (${e.calendar.timezone})`);
  for (const m of e.metrics) {
    out.push('', `${m.metric.replace('_', ' ')}: ${verdict(m)}`);
    if (m.status === 'not_applicable') {
      out.push(e.policy ? `  no ${m.metric} target for priority ${e.priority ?? '(none)'} in policy ${e.policy}` : '  no policy applies');
      continue;
    }
    out.push(`  target      ${m.target} = ${mins(m.target_minutes)} of business time`);
    out.push(`  clock start ${short(m.clock_start)}${m.clock_start !== e.created_at ? ' (next opening after creation)' : ''}`);
    out.push(`  due         ${m.due_at ? short(m.due_at) : 'not yet (paused)'}`);
    out.push(m.completed_at ? `  done        ${short(m.completed_at)}` : `  open        measured at --as-of ${short(m.measured_to)}`);
    if (m.from_vendor_minutes) out.push('  measured    from the export\'s first-reply minutes column (vendor business time)');
    for (const p of m.pauses) {
      out.push(`  ${p.kind === 'paused' ? 'paused' : 'resolved'}      ${short(p.from)} → ${p.to ? short(p.to) : 'still'}  "${p.status}"  (${mins(p.business_minutes)} of business time not counted)`);
    }
    if (m.per_day.length) {
      out.push('  business time counted per day:');
      for (const d of m.per_day) out.push(`    ${d.date} ${d.weekday}  ${mins(d.business_minutes).padStart(8)}${d.holiday ? `  (${d.holiday})` : ''}`);
    }
    out.push(`  elapsed     ${mins(m.elapsed_minutes)} of ${mins(m.target_minutes)}`);
  }
  return out.join('\n') + '\n';
}

function verdict(m: Explanation['metrics'][number]): string {
  const over = m.over_minutes ?? 0;
  switch (m.status) {
    case 'met': return `met, ${mins(-over)} to spare`;
    case 'breached': return `breached by ${mins(over)}`;
    case 'overdue': return `overdue by ${mins(over)} (still open)`;
    case 'at_risk': return `at risk, ${mins(-over)} left`;
    case 'running': return `running, ${mins(-over)} left`;
    default: return 'not applicable';
  }
}

export function explainCommand(): Command {
  const cmd = new Command('explain')
    .description("one ticket's timeline: policy, calendar, clock start, pauses, business time per day, due time, verdict")
    .argument('<ticket-id>', 'the ticket id as in the export')
    .argument('[tickets...]', 'CSV files (default: tickets.path from the config)');
  addInputOptions(cmd)
    .addOption(new Option('-f, --format <fmt>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', HELP)
    .action(async (id: string, tickets: string[], opts: { config?: string; asOf?: string; events: string[]; format: string }) => {
      const config = loadConfigFrom(opts);
      const asOf = opts.asOf ? parseInstant('--as-of', opts.asOf, config.zone) : Date.now();
      const matchers = new Map<string, PolicyMatcher>();
      let found: { t: Ticket; policy: Policy | undefined; results: MetricResult[] } | undefined;
      const result = await audit({
        config, inputs: tickets, events: opts.events, asOf,
        onMatcher: (file, m) => matchers.set(file, m),
        onTicket: (t, policy, results) => {
          if (t.id === id) found = { t, policy, results };
        },
      });
      if (!found) {
        const related = result.problems.find((p) => p.message.includes(`"${id}"`));
        throw new InputError(
          `ticket "${id}" is not among the ${result.totals.evaluated} tickets evaluated from ${result.inputs.join(', ')}${related ? ` (row ${related.row}: ${related.message})` : '; check the id, or run check to see rows left out with problems'}`,
        );
      }
      const e = explainTicket(found.t, found.policy, found.results, matchers.get(found.t.file)!.explain(found.t), config.zone, asOf);
      if (opts.format === 'json') process.stdout.write(JSON.stringify(e, null, 2) + '\n');
      else process.stdout.write(explainText(e));
    });
  return cmd;
}
