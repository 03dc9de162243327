/**
 * What the SQL does not compile, said before any SQL is written: each entry is a config feature or
 * input the compiled script would evaluate differently from the engine, so it is refused (exit 2)
 * rather than approximated. README's "Running where your data is" lists the same.
 */
import { MESSAGE_METRICS } from '../config/schema.js';
import { SQL_METRICS } from './metrics.js';
import { describeCondition, fieldConditions } from '../config/sections/conditions.js';
import type { Condition, FieldTest } from '../config/types.js';
import { DIALECT } from './dialect.js';
import type { CompileInput } from './input.js';
import { spineRefusal } from './spine.js';
import { timestampFormatRefusal } from './timestamps.js';
import { gateRefusal } from './operational.js';
import { SQL_KPIS } from './kpi-relations.js';
import { CUSTOM_NFKC, compilesCustomKpis } from './custom-kpis.js';

/** A letter whose lower case differs by locale or engine: anything beyond ASCII that has a case. */
const casedNonAscii = (s: string) => [...s].some((ch) => ch.charCodeAt(0) > 127 && ch.toLowerCase() !== ch.toUpperCase());

export function refusals(input: CompileInput): string[] {
  const { config } = input;
  const out: string[] = [];
  const messageMetrics = MESSAGE_METRICS.filter((m) => config.metrics.includes(m));
  if (messageMetrics.length) out.push(`${messageMetrics.join(' and ')} ${messageMetrics.length > 1 ? 'are' : 'is'} not compiled: measured from a --messages conversation, which the script does not read; run sla-audit check --messages for ${messageMetrics.length > 1 ? 'them' : 'it'}`);
  if (config.olasGiven) out.push(`olas (group OLAs and hand-offs${config.olas.length ? `: ${config.olas.map((o) => o.group).join(', ')}` : ''}) are not compiled: measured from the group column of a status history, stint by stint; run sla-audit check --events for them`);
  if (config.tickets.layout === 'events') out.push('tickets.layout: events (an audit log, many rows per ticket) is not compiled; load one row per ticket and its status changes as --history');
  // with --typed the times are instants already: no format is read
  const tf = input.typed ? undefined : timestampFormatRefusal(config.tickets.timestampFormat);
  const typedHint = input.typed === false ? '; or load the times as TIMESTAMPTZ and compile with --typed' : '';
  if (tf) out.push(`tickets.${tf}${typedHint}`);
  if (input.history) {
    const ef = input.typed ? undefined : timestampFormatRefusal(config.events.timestampFormat);
    if (ef) out.push(`events.${ef}${typedHint}`);
    if (input.columns.column('first_response_minutes') !== undefined) {
      out.push('first_response_minutes (a vendor\'s first-reply minutes) together with a status history is not compiled: the reply\'s instant would have to walk around pauses; compile without --history, or run sla-audit check --events');
    }
  }
  if (input.gate) {
    const why = gateRefusal(DIALECT[input.dialect]);
    if (why) out.push(why);
  }
  if (input.columns.column('id') === undefined || input.columns.column('created_at') === undefined) out.push('tickets.columns must map id and created_at');
  for (const p of config.policies) {
    for (const [metric, targets] of Object.entries(p.targets)) {
      for (const [prio, t] of targets) {
        // the day's local date comes from the calendar's own windows, which a loaded spine table does not carry
        if (t.kind === 'bd-end' && input.spineTable) out.push(`policy "${p.name}" target ${metric}.${prio}: ${t.text} (due at the close of a business day) is not compiled with --spine-table; compile without it (the spine is then written into the script)`);
      }
    }
    for (const w of fieldConditions(p.when)) {
      if (w.key !== 'priority' && input.columns.column(w.label) === undefined) out.push(`policy "${p.name}" has when: ${w.label}, but the tickets table has no such column; map it in tickets.columns or add the column`);
    }
    out.push(...operatorRefusals(input, p.when, `policy "${p.name}" when:`));
  }
  const leave = input.objectiveRefusalHint ?? '--compliance-objectives-only leaves it out';
  input.objectives.forEach((o, i) => {
    if (o.kind === 'scorecard') out.push(`objective ${i + 1} (scorecard ${o.scorecard}) is not compiled: the SQL gives each scorecard group's KPIs (sla_acc, scope scorecard) but not the score, which sla-audit check computes; ${leave}`);
    else if (config.customKpis.some((k) => k.name === o.kpi)) {
      if (!DIALECT[input.dialect].nfkcLower) out.push(`objective ${i + 1} (kpi ${o.kpi}) is not compiled for ${input.dialect}: ${CUSTOM_NFKC} ${input.dialect} cannot do; compile for postgres or bigquery, or run sla-audit check on the export`);
      else out.push(...operatorRefusals(input, o.where, `objective ${i + 1} where:`));
    } else if (!SQL_KPIS.includes(o.kpi)) out.push(`objective ${i + 1} (kpi ${o.kpi}) is not compiled: the SQL computes the catalogue's KPIs of first_response and resolution and the custom ones (kpis:), not OLA ones; ${leave}`);
    else out.push(...operatorRefusals(input, o.where, `objective ${i + 1} where:`));
  });
  if (compilesCustomKpis(DIALECT[input.dialect], config)) {
    for (const k of config.customKpis) if (input.columns.column(k.column) === undefined) out.push(`custom KPI ${k.name} reads column "${k.column}", but the tickets table has no such column; map it in tickets.columns or fix kpis.${k.name}.${k.stat}.column`);
  }
  // a breakdown or scorecard field must be a column (the engine stops on a missing one)
  for (const [who, field] of [...(input.groupBy ?? []).map((g) => [`--group-by ${g}`, g]), ...config.scorecards.map((s) => [`scorecard ${s.name} by: ${s.by}`, s.by])]) {
    const f = field.trim().toLowerCase();
    if (f !== 'priority' && f !== 'policy' && input.columns.column(field) === undefined) out.push(`${who}: the tickets table has no such column; map it in tickets.columns or add the column`);
  }
  if (input.dialect === 'postgres') {
    // PostgreSQL's lower() follows the database's locale: under C it leaves É as it is, where the engine lowers it
    const values = [...config.priorityLookup.keys(), ...config.policies.flatMap((p) => fieldConditions(p.when).flatMap((w) => conditionTexts(w.test))),
      ...input.objectives.flatMap((o) => (o.kind === 'kpi' ? fieldConditions(o.where).flatMap((w) => conditionTexts(w.test)) : [])), ...config.tickets.resolvedStatuses,
      ...config.satisfaction.values.keys(), ...config.categories.aliases.keys(), ...config.categories.rules.flatMap((r) => r.keywords), ...config.policies.flatMap((p) => SQL_METRICS.flatMap((m) => [...p.clocks[m].pauseOn])),
      ...config.customKpis.flatMap((k) => [...k.values])];
    const bad = values.find(casedNonAscii);
    if (bad !== undefined) out.push(`the value "${bad}" has a non-ASCII letter with a case, which PostgreSQL lower-cases by its locale, not as the engine does; compile for duckdb, or run sla-audit check on the export`);
  }
  // the script's own relations are all named sla_…: an input of such a name would be dropped or shadowed
  for (const [option, table] of [['--table', input.table], ['--history', input.history?.table], ['--spine-table', input.spineTable]] as const) {
    const name = table?.split('.').pop()?.replace(/^["`[]|["`\]]$/g, '').toLowerCase();
    if (name?.startsWith('sla_')) out.push(`${option} ${table}: the script's own tables are named sla_…; load this one under another name (e.g. ${name.slice(4) || 'input'})`);
  }
  for (const cal of new Set(config.policies.flatMap((p) => [p.calendar, ...SQL_METRICS.map((m) => p.clocks[m].calendar)]))) {
    const why = spineRefusal(cal, input.range);
    if (why) out.push(why);
  }
  return out;
}

/** The texts a condition compares lower-cased cells with. */
const conditionTexts = (t: FieldTest): string[] => (t.op === 'in' || t.op === 'not' ? [...t.values] : t.op === 'contains' ? t.needles : []);

/**
 * `contains` needs NFKC normalisation (DuckDB, Spark and Snowflake have none: full-width ＲＥＦＵＮＤ
 * would not contain refund) and `matches` RE2's regular expressions (PostgreSQL's, Java's and
 * Snowflake's differ: look-arounds, what . and $ match, classes): refused by name where missing.
 */
function operatorRefusals(input: CompileInput, conds: Condition[], where: string): string[] {
  const dialect = input.dialect;
  const d = DIALECT[dialect];
  const out: string[] = [];
  for (const w of fieldConditions(conds)) {
    if (w.test.op === 'contains' && !d.nfkcLower && !input.nfkcChecked) out.push(`${where} ${describeCondition(w)} is not compiled for ${dialect}: contains reads text NFKC-normalised (full-width ＲＥＦＵＮＤ contains refund), which ${dialect} cannot do; run sla-audit check on the export, or compile for postgres or bigquery`);
    if (w.test.op === 'matches' && !d.re2Find) out.push(`${where} ${describeCondition(w)} is not compiled for ${dialect}: matches is an RE2 regular expression, and ${dialect}'s regular expressions differ; run sla-audit check on the export, or compile for duckdb or bigquery`);
  }
  return out;
}
