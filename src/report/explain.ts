/** `explain` as text: one ticket's timeline, a section per metric. */
import type { KpiDef } from '../config/kpis.js';
import type { Explanation, ScoreExplanation } from '../engine/result.js';
import { clockTexts, duration, kpiText, labels, leftText, money as moneyText, overText, secondsText, type Common } from './format.js';
import { padEndWidth } from './width.js';
import { safeStrings } from './escape.js';
import { parseDay, weekdayOfDay } from '../time/civil.js';
import { ordinal } from '../config/values.js';

function mins(m: number | null): string {
  return m === null ? '–' : duration(m * 60_000);
}

/**
 * Minutes as the explanation carries them (two decimals, 0.6 s apart) back in milliseconds: to the
 * nearest second, which is exact for times measured in whole seconds.
 */
const msOf = (m: number) => Math.round(m * 60) * 1000;

/** A clock's elapsed time and target as the reports write them side by side (to the second when they are under a minute apart). */
function clockOf(elapsed: number | null, target: number | null): [elapsed: string, target: string] {
  return elapsed === null || target === null ? [mins(elapsed), mins(target)] : clockTexts(msOf(elapsed), msOf(target));
}

export function explainText(raw: Explanation, t: Common = labels('en')): string {
  const e = safeStrings(raw, true);
  const out: string[] = [];
  // a label of the timeline's left-hand column, padded by display width (a Chinese character takes two columns)
  const L = (word: string) => padEndWidth(t.explainLabel(word), 11);
  // to the minute as the report's zone shows it; a time written in UTC (an offset that is not whole minutes) says so
  const short = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') + (iso.endsWith('Z') ? ' UTC' : '') : '–');
  out.push(t.explainTicket(e.id, e.file, e.row));
  out.push(`  ${L('created')} ${short(e.created_at)}${e.priority ? t.explainPriority(e.priority) : ''}`);
  for (const step of e.tried) {
    out.push(step.matched ? `  ${L('policy')} ${t.explainPolicyMatched(step.policy, e.tried.length)}` : `  ${L('not policy')} ${step.policy}: ${step.reason}`);
  }
  if (!e.policy) out.push(`  ${L('policy')} none matched: both metrics are not_applicable`);
  // a policy whose metrics run on clocks of their own (calendars:, pause_on per metric): each metric says its own
  // (OLAs say their clock's calendar and pauses each: they are not the policy's metrics)
  const sla = e.metrics.filter((m) => !m.metric.startsWith('ola.'));
  const ownCalendars = !!e.calendar && sla.some((m) => m.calendar && m.calendar.name !== e.calendar!.name);
  const ownPauses = sla.some((m) => m.pause_on.join('\u0000') !== sla[0].pause_on.join('\u0000'));
  if (e.calendar) out.push(ownCalendars ? `  ${L('calendars')} per metric (below)` : `  ${L('calendar')} ${e.calendar.name} (${e.calendar.timezone})`);
  if (e.groups) groupsText(e.groups, short, out, L);
  for (const [i, shown] of e.metrics.entries()) {
    // the exact time past the target is not enumerable: safeStrings does not copy it
    const m = { ...shown, over_ms: raw.metrics[i].over_ms };
    const ola = m.metric.startsWith('ola.');
    const conversation = m.intervals !== undefined;
    out.push('', `${t.metric(m.metric)}: ${verdict(m, t)}`);
    if (ola && (m.status === 'not_applicable' || m.status === 'not_measured')) {
      const why = m.status === 'not_measured' ? 'not measured: the history has no group column'
        : !e.groups ? 'no group history' : !e.policy && e.groups.stints.some((x) => `ola.${x.group}`.toLowerCase() === m.metric.toLowerCase()) ? 'no policy matched and the OLA has no calendar of its own' : 'the group never held the ticket';
      out.push(`  ${why}`);
      continue;
    }
    if (m.status === 'not_applicable') {
      if (conversation && m.target_minutes === null && e.policy && m.intervals!.length === 0) {
        const wait = m.reply_from === 'first_customer_message' ? 'customer message waited for a reply' : 'customer message waited for a reply after the first agent reply';
        out.push(`  no ${m.metric === 'next_reply' ? wait : 'agent message started an update interval'} up to --as-of`);
      } else out.push(e.policy ? `  no ${m.metric} target for priority ${e.priority ?? '(none)'} in policy ${e.policy}` : '  no policy applies');
      continue;
    }
    if (m.status === 'not_measured') {
      out.push(`  not measured: ${conversation ? 'no --messages file (or no resolution to tell when replies stop being owed)' : 'the export has no column to measure it from'}`);
      continue;
    }
    if ((ownCalendars || ola) && m.calendar) out.push(`  ${L('calendar')} ${m.calendar.name} (${m.calendar.timezone})`);
    if (ownPauses || ola) out.push(`  ${L('pauses on')} ${m.pause_on.length ? m.pause_on.map((p) => `"${p}"`).join(', ') : 'no status (not paused)'}`);
    if (m.reply_from === 'first_customer_message') out.push(`  ${L('waits')} start at a customer message, before the first agent reply too (from: first_customer_message)`);
    if (conversation) {
      out.push(`  ${ola ? 'stints     ' : 'intervals  '} ${m.intervals!.length} (the worst is reported):`);
      for (const i of m.intervals!) {
        out.push(`    ${i.worst ? '▸' : ' '} ${short(i.from)} → ${i.to ? short(i.to) : 'open'}  ${clockOf(i.elapsed_minutes, i.target_minutes).map((x, j) => (j ? x : x.padStart(8))).join(' of ')}  ${i.status}`);
      }
      out.push(ola ? '  the worst stint:' : '  the worst interval:');
    }
    const rule = m.due_rule ? ` (${dueRuleText(m.due_rule, short)}${m.pauses.length ? '; pauses move it on' : ''})` : '';
    out.push(`  ${L('target')} ${t.explainTargetLine(String(m.target), mins(m.target_minutes), rule)}`);
    // under a minute from its target, the clock's times and business time are shown to the second (due and done would read the same minute)
    const close = Math.abs(overMs(m)) > 0 && Math.abs(overMs(m)) < 60_000;
    // to the second, and its fraction when it has one (10:10:59.999 is not 10:10:59)
    const at = close ? (iso: string) => iso.replace(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d+)?).*$/, '$1 $2') + (iso.endsWith('Z') ? ' UTC' : '') : short;
    out.push(`  ${L('clock start')} ${m.clock_start ? at(m.clock_start) : '–'}${!conversation && m.clock_start !== e.created_at ? ' (next opening after creation)' : ''}`);
    out.push(`  ${L('due')} ${m.due_at ? at(m.due_at) : t.explainNotYet}`);
    out.push(m.completed_at ? `  ${L('done')} ${at(m.completed_at)}` : `  ${L('open')} ${t.explainMeasuredAt(at(m.measured_to))}`);
    if (m.from_vendor_minutes) out.push(`  ${L('measured')} from the export's first-reply minutes column (vendor business time)`);
    for (const p of m.pauses) {
      out.push(`  ${t.explainLabel(p.kind === 'paused' ? 'paused' : 'resolved')}      ${short(p.from)} → ${p.to ? short(p.to) : 'still'}  "${p.status}"  (${mins(p.business_minutes)} of business time not counted)`);
    }
    if (m.per_day.length) {
      out.push(`  ${t.explainPerDay}`);
      for (const d of m.per_day) out.push(`    ${d.date} ${d.weekday}  ${(close ? secondsText(msOf(d.business_minutes)) : mins(d.business_minutes)).padStart(8)}${d.holiday ? `  (${d.holiday})` : ''}`);
    }
    // the elapsed time as the target plus the over-by the verdict reads (two roundings could differ by a second)
    const exact = m.elapsed_minutes !== null && m.target_minutes !== null ? clockTexts(msOf(m.target_minutes) + overMs(m), msOf(m.target_minutes)) : undefined;
    out.push(`  ${L('elapsed')} ${(exact ?? clockOf(m.elapsed_minutes, m.target_minutes)).join(t.explainOf)}`);
    if (m.share_of_target !== undefined) out.push(`  ${L('escalation')} ${t.explainShare(Math.floor(Math.round(m.share_of_target * 10000) / 100), conversation, m.level ?? null)}`);
  }
  if (e.credit) {
    const c = e.credit;
    const money = (x: number) => moneyText(x, c.currency);
    out.push('', `service credit, ${c.period}${c.provisional ? ' (provisional: the period has not ended)' : ''}:`);
    for (const x of c.charges) {
      out.push(`  ${x.metric.replace('_', ' ')} ${x.status}: ${money(x.per_breach)} per breach + ${x.hours_over} started hour${x.hours_over === 1 ? '' : 's'} over × ${money(x.per_hour_over)} = ${money(x.amount)}`);
    }
    out.push(`  this ticket ${money(c.amount)} of the period's ${money(c.period_breach_amount)} breach credits; with the tier's ${money(c.period_tier_amount)} the period owes ${money(c.period_uncapped)}${c.capped ? `, capped at ${money(c.period_credit)}` : ''}`);
    out.push(`  its share   ${money(c.share)}${c.capped ? ` (${money(c.amount)} × ${money(c.period_credit)} ÷ ${money(c.period_uncapped)}: the cap scales every part alike)` : ''}; the tier's part is the period's, not a ticket's`);
  }
  out.push('', t.explainEscalation(e.level ?? null));
  if (e.custom_kpis) {
    out.push('', 'custom KPIs:');
    for (const k of e.custom_kpis) {
      const what = k.problem ? `left out: ${k.problem}`
        : k.value === null ? `not counted: ${k.column} is empty (or a null value)`
          : k.stat === 'share' ? `${k.value ? 'a hit' : 'not a hit'} (${k.column} is ${k.value ? '' : 'not '}one of its values)` : `${k.value} (${k.column})`;
      out.push(`  ${k.kpi}: ${what}`);
    }
  }
  return out.join('\n') + '\n';
}

/** The group stints in time order, the hand-offs, and the time from the first hand-off to resolution. */
function groupsText(g: NonNullable<Explanation['groups']>, short: (iso: string | null) => string, out: string[], L: (word: string) => string): void {
  out.push(`  ${L('groups')} ${g.stints.length} stint${g.stints.length === 1 ? '' : 's'}, ${g.handoffs} hand-off${g.handoffs === 1 ? '' : 's'}${g.first_handoff_at ? ` (first ${short(g.first_handoff_at)}${g.handoff_to_resolution_minutes !== null ? `, then ${mins(g.handoff_to_resolution_minutes)} of business time to resolution` : ''})` : ''}:`);
  for (const s of g.stints) {
    out.push(`    ${s.group}  ${short(s.from)} → ${s.to ? short(s.to) : 'open'}  ${s.status ? `${clockOf(s.business_minutes, s.target_minutes).map((x, j) => (j ? x : x.padStart(8))).join(' of ')}  ${s.status}` : `${mins(s.business_minutes).padStart(8)}  (no OLA)`}`);
  }
}

/** "due at the close of the 2nd business day after Mon 2026-03-02", "due 1 calendar month after ...". */
function dueRuleText(r: NonNullable<Explanation['metrics'][number]['due_rule']>, short: (iso: string) => string): string {
  if (r.kind === 'close_of_business_day') {
    const day = parseDay(r.after)!;
    return `due at the close of the ${ordinal(r.business_days)} business day after ${WEEKDAY[weekdayOfDay(day)]} ${r.after}`;
  }
  const from = short(r.from);
  const to = short(r.to);
  const months = `due ${r.months} calendar month${r.months === 1 ? '' : 's'} after ${from}`;
  // the same wall time, unless the clocks skipped it that day (it then moves on by the gap)
  if (from.slice(11, 16) !== to.slice(11, 16)) return `${months}: ${to}, as ${from.slice(11, 16)} does not exist that day (the clocks went forward)`;
  return `${months} at the same wall time: ${to}${r.month_end ? ", the month's last day" : ''}`;
}

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** How far past its target (negative: within it) a metric's clock is; a breach at least a second. */
function overMs(m: Explanation['metrics'][number]): number {
  const over = m.over_ms ?? msOf(m.over_minutes ?? 0);
  return m.status === 'breached' ? Math.max(1000, over) : over;
}

function verdict(m: Explanation['metrics'][number], t: Common): string {
  // past the target rounded up (never "0"), time to spare rounded down
  const over = overMs(m);
  return t.explainVerdict(m.status, overText(over), leftText(-over));
}

/** A group's score, step by step. */
export function scoreExplainText(raw: ScoreExplanation, custom: readonly KpiDef[] = [], t: Common = labels('en')): string {
  const e = safeStrings(raw, true);
  const out = [t.scoreHeader({ scorecard: e.scorecard, by: e.by, group: e.group, period: e.period ?? undefined, rsr: e.method === 'rsr', tickets: e.tickets })];
  if (!e.scored) return [...out, t.scoreNotScored(e.reason ?? '')].join('\n') + '\n';
  for (const i of e.indicators) {
    out.push('', t.scoreIndicator(i.kpi, i.group ?? undefined, i.weight, kpiText(i.kpi, i.actual, custom)));
    out.push(`  ${t.scoreFrom}${i.basis}`);
    out.push(`  ${t.scoreTarget(kpiText(i.kpi, i.target, custom), i.worst !== undefined ? kpiText(i.kpi, i.worst, custom) : null, i.direction)}`);
    out.push(`  ${t.scoreScore}${i.arithmetic}`);
  }
  out.push('', t.scoreComposite(e.composite.arithmetic, e.composite.value === null ? null : String(Math.round(e.composite.value * 100) / 100)));
  if (e.grades.length) out.push(t.scoreGrade(String(e.grade), e.grades.map((g) => `${g.name} ${g.min}`).join(', ')));
  out.push(t.scoreRank(String(e.rank ?? '–'), e.of));
  return out.join('\n') + '\n';
}
