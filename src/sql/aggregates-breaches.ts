/**
 * The worst breaches and the service credits' sums, from sla_ticket_metrics and sla_report_facts
 * (engine/aggregate.ts's worstFirst and engine/credits.ts are the reference).
 */
import { SQL_METRICS } from './metrics.js';
import type { CompileInput } from './input.js';
import type { Dialect } from './dialect.js';

/** The breaches report lists, as check does without a limit of its own. */
const MAX_BREACHES = 100;

export function breachViews(d: Dialect, input: CompileInput): [string, string][] {
  const out: [string, string][] = [['sla_worst_breaches', worstBreaches(d, input.maxBreaches ?? MAX_BREACHES)]];
  if (input.config.credits) out.push(['sla_credits', credits(d, input)]);
  return out;
}

/**
 * sla_worst_breaches: the breached and overdue tickets × metrics, worst first as the engine orders
 * them — by the share of the target used (a target of 0 with time past it is used infinitely: those
 * first; 0 of 0 is 1), then by how far over, then id and metric in code-unit order — the first N.
 */
function worstBreaches(d: Dialect, n: number): string {
  // the engine compares code units: code point order but for a few characters past U+FFFF
  const byCode = (x: string) => d.binary(x);
  return `SELECT w.rank, w.id, w.metric, w.status, w.policy, w.priority, w.target_ms, w.elapsed_ms, w.due_ms, w.completed_ms, w.row_no
FROM (
  SELECT ROW_NUMBER() OVER (ORDER BY b.endless DESC, b.share DESC, b.over_ms DESC, ${byCode('b.id')}, ${byCode('b.metric')}) AS rank,
    b.id, b.metric, b.status, b.policy, b.priority, b.target_ms, b.elapsed_ms, b.due_ms, b.completed_ms, b.row_no
  FROM (
    SELECT m.ticket_id AS id, m.metric, m.status, m.policy, m.priority, m.target_ms, m.elapsed_ms, m.due_ms, m.completed_at_ms AS completed_ms, m.row_no,
      CASE WHEN m.target_ms = 0 AND m.elapsed_ms > 0 THEN 1 ELSE 0 END AS endless,
      CASE WHEN m.target_ms > 0 THEN CAST(m.elapsed_ms AS ${d.double}) / m.target_ms ELSE 1 END AS share,
      m.elapsed_ms - m.target_ms AS over_ms
    FROM sla_ticket_metrics m
    WHERE m.status IN ('breached', 'overdue')
  ) b
) w
WHERE w.rank <= ${Math.max(0, Math.floor(n))}`;
}

/**
 * sla_credits: per contract period (the label of the ticket's local day of creation) and canonical
 * priority, over the covered policies' tickets in the audit and the metrics the tiers read: met and
 * judged (met, breached, overdue) clocks, breaches (breached or overdue), the business hours over
 * target (each breach's started hours), the priority's per_breach and per_hour_over, and their
 * charges (Σ per_breach + per_hour_over × hours, as a double: the engine adds them ticket by ticket,
 * so a reader wanting the engine's cents recomputes from the counts). first_day is the period's
 * earliest local day with a ticket (any day of it gives its bounds).
 */
function credits(d: Dialect, input: CompileInput): string {
  const cfg = input.config.credits!;
  const metrics = cfg.metric === 'overall' ? [...SQL_METRICS] : [cfg.metric];
  const amount = (m: Map<string, number>) => {
    const fallback = m.get('default') ?? 0;
    const cases = [...m].filter(([p]) => p !== 'default').map(([p, v]) => `WHEN ${d.str(p)} THEN CAST(${d.str(String(v))} AS ${d.double})`).join(' ');
    const other = `CAST(${d.str(String(fallback))} AS ${d.double})`;
    return cases ? `CASE f.priority ${cases} ELSE ${other} END` : other;
  };
  const policies = cfg.policies ? ` AND f.policy IN (${[...cfg.policies].map((p) => d.str(p)).join(', ')})` : '';
  const bad = `m.status IN ('breached', 'overdue')`;
  const hours = `CASE WHEN ${bad} THEN CAST(CEIL((m.elapsed_ms - m.target_ms) / 3600000.0) AS ${d.bigint}) ELSE 0 END`;
  return `SELECT c.period, MIN(c.day) AS first_day, c.priority, SUM(c.met) AS met, SUM(c.judged) AS judged, SUM(c.breach) AS breaches, SUM(c.hours) AS hours_over,
  MAX(c.per_breach) AS per_breach, MAX(c.per_hour_over) AS per_hour_over, SUM(CASE WHEN c.breach = 1 THEN c.per_breach + c.per_hour_over * c.hours ELSE 0 END) AS charges
FROM (
  SELECT ${periodLabel(d, cfg.period, 'f.day_no', 'f.day')} AS period, f.day, f.priority,
    CASE WHEN m.status = 'met' THEN 1 ELSE 0 END AS met, CASE WHEN m.status IN ('met', 'breached', 'overdue') THEN 1 ELSE 0 END AS judged,
    CASE WHEN ${bad} THEN 1 ELSE 0 END AS breach, ${hours} AS hours, ${amount(cfg.perBreach)} AS per_breach, ${amount(cfg.perHourOver)} AS per_hour_over
  FROM sla_report_facts f JOIN sla_ticket_metrics m ON m.row_no = f.row_no
  WHERE f.policy IS NOT NULL${policies} AND m.metric IN (${metrics.map((m) => d.str(m)).join(', ')})
) c
GROUP BY c.period, c.priority`;
}

/** The label of the period a local day falls in (engine/periods.ts periodOf): 2026-10-05, 2026-W41, 2026-10, 2026-Q4. */
function periodLabel(d: Dialect, period: string, dayNo: string, day: string): string {
  const int = (x: string) => `CAST(${x} AS ${d.bigint})`;
  const two = (x: string) => d.substr(d.intText(int(`100 + ${x}`)), 2, 2);
  if (period === 'day') return day;
  if (period === 'month') return d.substr(day, 1, 7);
  if (period === 'quarter') return d.concat([d.substr(day, 1, 4), "'-Q'", d.intText(int(`FLOOR((${int(d.substr(day, 6, 2))} - 1) / 3.0) + 1`))]);
  // ISO week: the week's Thursday gives the year; weeks counted from that year's 1 January
  const thursday = `(${dayNo} - MOD(MOD(${dayNo} + 3, 7) + 7, 7) + 3)`;
  const y = int(d.substr(d.formatWall(`${thursday} * 86400000`), 1, 4));
  const jan1 = `(365 * (${y} - 1970) + FLOOR((${y} - 1969) / 4.0) - FLOOR((${y} - 1901) / 100.0) + FLOOR((${y} - 1601) / 400.0))`;
  return d.concat([d.substr(d.formatWall(`${thursday} * 86400000`), 1, 4), "'-W'", two(`FLOOR((${thursday} - ${jan1}) / 7.0) + 1`)]);
}
