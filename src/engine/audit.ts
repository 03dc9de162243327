import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import type { Config, Objective, Policy } from '../config/types.js';
import { METRICS, type Metric } from '../config/schema.js';
import { openInput } from '../input/source.js';
import { readCsv, type RowProblem } from '../input/csv.js';
import { readEvents, type RawEvents } from '../input/events.js';
import { ColumnMap, TicketReader, decideDateOrder, type Ticket } from '../input/tickets.js';
import { PolicyMatcher } from './policy.js';
import { evaluateMetric, type MetricResult } from './evaluate.js';
import { Aggregator, NONE_KEY, NO_POLICY, NS, toCounts, type Breach, type Counts } from './aggregate.js';
import { finalResolution, firstStatusTime, reopenedAfter, sortHistory, type StatusHistory } from './history.js';
import { CategoryResolver } from './categories.js';
import { autoPeriod, periodOf, type Period } from './periods.js';
import { median, quantile, NM } from './aggregate.js';
import type { BaselineResult } from './baseline.js';
import { MS_PER_DAY, MS_PER_HOUR, weekdayOfDay } from '../time/civil.js';

export const DEFAULT_GROUP_BY = ['priority', 'policy'];
export const MAX_PROBLEMS_KEPT = 10_000;

export interface AuditOptions {
  config: Config;
  /** CSV paths, or "-" for standard input */
  inputs: string[];
  /** --events status-history files */
  events?: string[];
  /** epoch ms at which open tickets are measured */
  asOf: number;
  since?: number;
  until?: number;
  groupBy?: string[];
  /** objectives added on the command line (--fail-under) */
  extraObjectives?: Objective[];
  maxBreaches?: number;
  stdin?: Readable;
  /** every evaluated ticket, in evaluation order (for the per-ticket CSV report and explain) */
  onTicket?: (t: Ticket, policy: Policy | undefined, results: MetricResult[], ordinal: number) => void;
  /** a ticket passed to onTicket earlier was replaced by a later row with the same id */
  onReplaced?: (ordinal: number) => void;
  onProgress?: (rows: number) => void;
  /** the matcher of the file a ticket came from (explain asks it why policies did not match) */
  onMatcher?: (file: string, matcher: PolicyMatcher) => void;
  /** --period: group compliance and categories by creation period */
  period?: Period;
}

export interface CategoryRow {
  name: string;
  tickets: number;
  share: number;
  cumulative_share: number;
  breached: number;
  breach_rate: number;
  median_resolution_minutes: number | null;
  p90_resolution_minutes: number | null;
  satisfaction: number | null;
  repeat: number;
}

export interface PeriodRow {
  period: string;
  metrics: Record<Metric, Counts>;
  overall: Counts;
  categories: Record<string, number>;
}

export interface Hotspots {
  channels: { channel: string; tickets: number; breached: number; breach_rate: number }[];
  /** tickets created per weekday (Mon..Sun) and hour of day (0..23), config zone */
  hours: { weekday: string; counts: number[] }[];
}

export interface ObjectiveResult {
  metric: Metric | 'overall';
  priority?: string;
  policy?: string;
  label: string;
  min: number;
  actual: number | null;
  /** met + breached + overdue under this objective */
  tickets: number;
  passed: boolean;
  /** why it was not judged (too few tickets): then it counts as passed */
  skipped?: string;
}

export interface GroupRow {
  key: string;
  metrics: Record<Metric, Counts>;
  overall: Counts;
}

export interface AuditResult {
  asOf: number;
  configFile: string;
  inputs: string[];
  zone: string;
  totals: { rows: number; tickets: number; evaluated: number; problems: number; outside_range: number; event_rows?: number; event_problems?: number };
  overall: Counts;
  metrics: Record<Metric, Counts>;
  objectives: ObjectiveResult[];
  groups: Record<string, GroupRow[]>;
  breaches: Breach[];
  categories: CategoryRow[];
  /** grouped by --period (or a period chosen for the trend chart when none was asked for) */
  periods: PeriodRow[];
  periodKind: Period;
  periodAsked: boolean;
  hotspots: Hotspots;
  problems: RowProblem[];
  /** problems beyond MAX_PROBLEMS_KEPT are counted but not kept */
  problemsDropped: number;
  /** about whole files (an encoding switch, replaced bytes) */
  warnings: string[];
  /** objectives (and the baseline comparison, when there is one) */
  passed: boolean;
  baseline?: BaselineResult;
}

/** Per input file: where the category, channel, customer and satisfaction come from. */
interface FileFacts {
  categories: CategoryResolver;
  channel: number | undefined;
  customer: number | undefined;
  satisfaction: number | undefined;
}

/** One ticket of an event-log layout while its rows are being merged. */
interface Merging {
  fields: string[];
  row: number;
  line: number;
  updated: number;
  seq: number;
  rowCount: number;
  times: number[];
  statuses: string[];
  seqs: number[];
}

export async function audit(opts: AuditOptions): Promise<AuditResult> {
  const { config, asOf } = opts;
  const groupBy = opts.groupBy ?? DEFAULT_GROUP_BY;
  const objectives = [...config.objectives, ...(opts.extraObjectives ?? [])];
  const resolvedSet = config.tickets.resolvedStatuses;
  const responseOrResolved = new Set([...config.tickets.firstResponseStatuses, ...resolvedSet]);
  const agg = new Aggregator(groupBy, objectives, opts.maxBreaches ?? 100);
  const problems: RowProblem[] = [];
  const warnings: string[] = [];
  let problemRows = 0;
  let problemsDropped = 0;
  let rows = 0;
  let tickets = 0;
  const keep = (p: RowProblem) => {
    if (problems.length < MAX_PROBLEMS_KEPT) problems.push(p);
    else problemsDropped++;
  };
  const inputs = opts.inputs.length ? opts.inputs : config.tickets.path ? [config.tickets.path] : [];
  if (!inputs.length) throw new InputError(`no tickets: pass a CSV file (or - for standard input), or set tickets.path in ${config.file}`);
  if ([...inputs, ...(opts.events ?? [])].filter((i) => i === '-').length > 1) throw new InputError('standard input ("-") can be given only once');

  // status history from --events, held per ticket until the ticket is read
  const events = opts.events?.length ? await readEvents(opts.events, config, asOf, opts.stdin) : undefined;
  events?.problems.forEach(keep);
  const claimed = new Set<string>();
  let eventProblems = events?.problems.length ?? 0;

  /** Attaches history: pauses, reopen, final resolution, first response by status. */
  const withHistory = (t: Ticket, h: StatusHistory): void => {
    t.history = h;
    if (Number.isNaN(t.firstResponse) && config.tickets.firstResponseStatuses.size) {
      // the first response status, or the first resolution when that came first
      const fr = firstStatusTime(h, responseOrResolved);
      if (fr >= t.created) t.firstResponse = fr;
    }
    if (!Number.isNaN(t.resolved)) {
      if (reopenedAfter(h, resolvedSet, t.resolved)) t.resolved = NaN;
    } else {
      const fin = finalResolution(h, resolvedSet);
      if (fin >= t.created) t.resolved = fin;
    }
  };

  const historyFromEvents = (t: Ticket, raw: RawEvents): StatusHistory => {
    const times: number[] = [];
    const statuses: string[] = [];
    raw.times.forEach((time, i) => {
      if (time < t.created) {
        eventProblems++;
        keep({ file: raw.files[i], row: raw.rows[i], message: `event for ticket "${t.id}" is before the ticket was created (${config.zone.formatShort(t.created)}); it is left out` });
      } else {
        times.push(time);
        statuses.push(raw.statuses[i]);
      }
    });
    return sortHistory(times, statuses);
  };

  const zone = config.zone;
  const evaluate = (t: Ticket, matcher: PolicyMatcher, groupCols: number[], reader: TicketReader, fx: FileFacts) => {
    tickets++;
    const policy = matcher.match(t);
    const results = METRICS.map((m) => evaluateMetric(t, policy, m, asOf, resolvedSet));
    const counted = (opts.since === undefined || t.created >= opts.since) && (opts.until === undefined || t.created < opts.until);
    const values = groupBy.map((g, i) =>
      g === 'priority' ? t.priority || NONE_KEY : g === 'policy' ? policy?.name ?? NO_POLICY : (t.fields[groupCols[i]] ?? '').trim() || NONE_KEY,
    );
    const wall = zone.instantToWall(t.created);
    const day = Math.floor(wall / MS_PER_DAY);
    const sat = fx.satisfaction === undefined ? NaN : parseFloat((t.fields[fx.satisfaction] ?? '').trim());
    const facts = {
      category: fx.categories.of(t),
      channel: fx.channel === undefined ? '' : (t.fields[fx.channel] ?? '').trim(),
      customer: fx.customer === undefined ? '' : (t.fields[fx.customer] ?? '').trim(),
      day,
      hour: Math.floor((wall - day * MS_PER_DAY) / MS_PER_HOUR),
      weekday: weekdayOfDay(day),
      satisfaction: sat,
    };
    const ordinal = agg.nextOrdinal();
    const replaced = agg.add(t, policy, results, counted, values, facts);
    if (replaced) {
      problemRows++;
      tickets--;
      keep({
        file: replaced.file,
        row: replaced.row,
        column: reader.idColumn,
        message: `duplicate ticket id "${t.id}": ${replaced.file === t.file ? `row ${t.row}` : `${t.file} row ${t.row}`} has the same id and replaces this row`,
      });
      opts.onReplaced?.(replaced.ordinal);
    }
    if (counted) opts.onTicket?.(t, policy, results, ordinal);
  };

  for (const path of inputs) {
    const input = await openInput(path, config.tickets.encoding, opts.stdin);
    let reader: TicketReader | undefined;
    let matcher: PolicyMatcher | undefined;
    let groupCols: number[] = [];
    let fx: FileFacts | undefined;
    const merging = config.tickets.layout === 'events' ? new Map<string, Merging>() : undefined;
    await readCsv(input, config.tickets.delimiter, {
      header(fields, delimiter) {
        const map = new ColumnMap(input.name, fields, config);
        const order = decideDateOrder(input.name, input.head, delimiter, map);
        reader = new TicketReader(map, config, order, asOf);
        matcher = new PolicyMatcher(config, map);
        opts.onMatcher?.(input.name, matcher);
        fx = {
          categories: new CategoryResolver(config.categories, map),
          channel: map.index.get('channel'),
          customer: map.index.get('customer'),
          satisfaction: map.index.get('satisfaction'),
        };
        groupCols = groupBy.map((g) => {
          if (g === 'priority' || g === 'policy') return -1;
          const col = map.resolve(g);
          if (col === undefined) {
            throw new InputError(`--group-by ${g}: ${input.name} has no such column (headers: ${fields.map((h) => `"${h.trim()}"`).join(', ')})`);
          }
          return col;
        });
      },
      record(fields, row, line) {
        rows++;
        if (opts.onProgress && (rows & 0x3fff) === 0) opts.onProgress(rows);
        if (merging) return mergeRow(merging, reader!, fields, row, line);
        const t = reader!.read(fields, row, line);
        if (Array.isArray(t)) {
          problemRows++;
          t.forEach(keep);
          const id = reader!.idOf(fields);
          if (id) claimed.add(id);
          return;
        }
        if (events) {
          claimed.add(t.id);
          const raw = events.byTicket.get(t.id);
          if (raw) withHistory(t, historyFromEvents(t, raw));
        }
        evaluate(t, matcher!, groupCols, reader!, fx!);
      },
      problem(p) {
        rows++;
        problemRows++;
        keep(p);
      },
    });
    if (!reader) throw new InputError(`${input.name}: has no header row; the first row must name the columns`);
    warnings.push(...input.warnings);
    if (merging) {
      // event-log layout: each ticket's fields from its latest row, its history from all its rows
      for (const [id, m] of merging) {
        const t = reader.read(m.fields, m.row, m.line);
        if (Array.isArray(t)) {
          problemRows += m.rowCount;
          t.forEach((p) => keep(m.rowCount > 1 ? { ...p, message: `${p.message} (ticket "${id}", latest of its ${m.rowCount} rows; all are left out)` } : p));
          continue;
        }
        withHistory(t, sortHistory(m.times, m.statuses, m.seqs));
        evaluate(t, matcher!, groupCols, reader, fx!);
      }
    }
  }

  function mergeRow(merging: Map<string, Merging>, reader: TicketReader, fields: string[], row: number, line: number): void {
    const out: RowProblem[] = [];
    const id = reader.idOf(fields);
    const width = reader.width;
    if (fields.length !== width) {
      const p = reader.read(fields, row, line);
      if (Array.isArray(p)) out.push(...p);
    } else if (!id) out.push({ file: reader.file, row, ...(line !== row ? { line } : {}), column: reader.idColumn, message: 'is empty; every ticket needs an id' });
    const updated = out.length ? NaN : reader.time(fields, 'updated_at', row, out);
    if (!out.length && Number.isNaN(updated)) out.push({ file: reader.file, row, column: reader.columnName('updated_at'), message: 'is empty; in the events layout every row needs its update time' });
    if (!out.length && updated > asOf) {
      out.push({ file: reader.file, row, column: reader.columnName('updated_at'), message: `${config.zone.formatShort(updated)} is after --as-of ${config.zone.formatShort(asOf)}; the row is left out` });
    }
    if (out.length) {
      problemRows++;
      out.forEach(keep);
      return;
    }
    const status = reader.statusOf(fields);
    const seq = reader.sequenceOf(fields);
    let m = merging.get(id!);
    if (!m) {
      m = { fields, row, line, updated, seq, rowCount: 0, times: [], statuses: [], seqs: [] };
      merging.set(id!, m);
    } else if (updated > m.updated || (updated === m.updated && seq >= m.seq)) {
      m.fields = fields;
      m.row = row;
      m.line = line;
      m.updated = updated;
      m.seq = seq;
    }
    m.rowCount++;
    if (status) {
      m.times.push(updated);
      m.statuses.push(status);
      m.seqs.push(seq);
    }
  }

  if (events) {
    for (const [id, raw] of events.byTicket) {
      if (claimed.has(id)) continue;
      raw.rows.forEach((row, i) => {
        eventProblems++;
        keep({ file: raw.files[i], row, message: `event for ticket "${id}", which is in none of the ticket files; it is left out` });
      });
    }
  }

  const metrics = {} as Record<Metric, Counts>;
  METRICS.forEach((m, i) => (metrics[m] = toCounts(agg.metrics, i * NS)));
  const objectiveResults: ObjectiveResult[] = objectives.map((o, i) => {
    const c = toCounts(agg.objectiveCounts, i * NS);
    const n = c.met + c.breached + c.overdue;
    const base = { metric: o.metric, ...(o.priority ? { priority: o.priority } : {}), ...(o.policy ? { policy: o.policy } : {}), label: o.label, min: o.min, actual: c.compliance, tickets: n };
    if (n === 0 || n < o.minTickets) {
      return { ...base, passed: true, skipped: n === 0 ? 'no completed or overdue tickets' : `only ${n} tickets (min_tickets ${o.minTickets})` };
    }
    return { ...base, passed: c.compliance! >= o.min - 1e-12 };
  });
  const groups: Record<string, GroupRow[]> = {};
  let gi = 0;
  for (const [field, map] of agg.groups) {
    const fieldIndex = gi++;
    const rowsOut: GroupRow[] = [];
    for (const [keyId, arr] of map) {
      const m = {} as Record<Metric, Counts>;
      METRICS.forEach((name, i) => (m[name] = toCounts(arr, i * NS)));
      const all = new Float64Array(NS);
      for (let i = 0; i < METRICS.length; i++) for (let s = 0; s < NS; s++) all[s] += arr[i * NS + s];
      if (all.every((v) => v === 0)) continue;
      rowsOut.push({ key: agg.groupKey(fieldIndex, keyId), metrics: m, overall: toCounts(all) });
    }
    const order = field === 'priority' ? config.priorities : [];
    rowsOut.sort((a, b) => {
      const ia = order.indexOf(a.key), ib = order.indexOf(b.key);
      if (ia !== ib) return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
      return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    });
    groups[field] = rowsOut;
  }
  problems.sort((a, b) => (a.file === b.file ? a.row - b.row : 0));

  // categories in Pareto order
  const repeats = agg.repeatCounts(config.categories.repeatWithinMs);
  const catRows = [...agg.categories].filter(([, c]) => c.tickets > 0).map(([id, c]) => ({ id, c, name: agg.categoryName(id) }));
  catRows.sort((a, b) => b.c.tickets - a.c.tickets || (a.name < b.name ? -1 : 1));
  const totalCat = catRows.reduce((a, r) => a + r.c.tickets, 0);
  let cum = 0;
  const categories: CategoryRow[] = catRows.map(({ id, c, name }) => {
    cum += c.tickets;
    return {
      name,
      tickets: c.tickets,
      share: c.tickets / totalCat,
      cumulative_share: cum / totalCat,
      breached: c.breached,
      breach_rate: c.breached / c.tickets,
      median_resolution_minutes: median(c.resolution),
      p90_resolution_minutes: quantile(c.resolution, 0.9),
      satisfaction: c.satCount ? Math.round((c.satSum / c.satCount) * 100) / 100 : null,
      repeat: repeats.get(id) ?? 0,
    };
  });

  // trends: days rolled up into the asked (or a fitting) period
  const dayNums = [...agg.days.keys()].sort((a, b) => a - b);
  const periodKind = opts.period ?? autoPeriod(dayNums.length ? dayNums[dayNums.length - 1] - dayNums[0] + 1 : 1);
  const byPeriod = new Map<string, { arr: Float64Array; cats: Map<number, number> }>();
  for (const d of dayNums) {
    const key = periodOf(d, periodKind);
    let p = byPeriod.get(key);
    if (!p) byPeriod.set(key, (p = { arr: new Float64Array(NM * NS), cats: new Map() }));
    const arr = agg.days.get(d)!;
    for (let i = 0; i < arr.length; i++) p.arr[i] += arr[i];
    for (const [cat, n] of agg.dayCategories.get(d) ?? []) p.cats.set(cat, (p.cats.get(cat) ?? 0) + n);
  }
  const periods: PeriodRow[] = [...byPeriod].filter(([, p]) => p.arr.some((v) => v !== 0)).map(([period, p]) => {
    const m = {} as Record<Metric, Counts>;
    METRICS.forEach((name, i) => (m[name] = toCounts(p.arr, i * NS)));
    const all = new Float64Array(NS);
    for (let i = 0; i < NM; i++) for (let s = 0; s < NS; s++) all[s] += p.arr[i * NS + s];
    const cats: Record<string, number> = {};
    for (const [id, n] of [...p.cats].sort((a, b) => b[1] - a[1])) if (n) cats[agg.categoryName(id)] = n;
    return { period, metrics: m, overall: toCounts(all), categories: cats };
  });

  const WD = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const hotspots: Hotspots = {
    channels: [...agg.channels].filter(([, c]) => c[0] > 0).map(([id, c]) => ({ channel: agg.channelName(id), tickets: c[0], breached: c[1], breach_rate: c[1] / c[0] }))
      .sort((a, b) => b.tickets - a.tickets || (a.channel < b.channel ? -1 : 1)),
    hours: WD.map((weekday, i) => ({ weekday, counts: Array.from(agg.hours.subarray(((i + 1) % 7) * 24, ((i + 1) % 7) * 24 + 24)) })),
  };

  return {
    asOf,
    configFile: config.file,
    inputs: inputs.map((i) => (i === '-' ? '(stdin)' : i)),
    zone: config.zone.name,
    totals: {
      rows, tickets, evaluated: agg.evaluated, problems: problemRows, outside_range: tickets - agg.evaluated,
      ...(events ? { event_rows: events.rows, event_problems: eventProblems } : {}),
    },
    overall: toCounts(agg.overall()),
    metrics,
    objectives: objectiveResults,
    groups,
    breaches: agg.worstBreaches(),
    categories,
    periods,
    periodKind,
    periodAsked: opts.period !== undefined,
    hotspots,
    problems,
    problemsDropped,
    warnings,
    passed: objectiveResults.every((o) => o.passed),
  };
}
