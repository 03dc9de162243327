import type { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { Config, Objective, Policy } from '../config/types.js';
import { METRICS, type Metric } from '../config/schema.js';
import type { RowProblem } from '../input/csv.js';
import { readTable, type TableInfo } from '../input/table.js';
import { readEvents, type RawEvents } from '../input/events.js';
import { ColumnMap, TicketReader, decideDateOrder, type Ticket } from '../input/tickets.js';
import { PolicyMatcher } from './policy.js';
import { evaluateMetric, type MetricResult } from './evaluate.js';
import { Aggregator, NONE_KEY, NO_POLICY, NS, NM, hashId, median, quantile, toCounts, type Breach, type Contribution, type Counts } from './aggregate.js';
import { finalResolution, firstStatusTime, reopenedAfter, sortHistory, type StatusHistory } from './history.js';
import { CategoryResolver } from './categories.js';
import { autoPeriod, periodOf, type Period } from './periods.js';
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
  /** every counted ticket, in reading order (for the per-ticket CSV report and explain) */
  onTicket?: (t: Ticket, policy: Policy | undefined, results: MetricResult[]) => void;
  /** ids read more than once: for each, whether its last row is counted (and so kept) */
  onDuplicates?: (ids: Map<string, { counted: number; keepLast: boolean }>) => void;
  onProgress?: (rows: number) => void;
  /** the matcher of the file a ticket came from (explain asks it why policies did not match) */
  onMatcher?: (file: string, matcher: PolicyMatcher) => void;
  /** --period: group compliance and categories by creation period */
  period?: Period;
  /** parse large files in a worker thread (default auto) */
  worker?: 'auto' | 'always' | 'never';
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
  repeat: number | null;
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
interface FileContext {
  reader: TicketReader;
  matcher: PolicyMatcher;
  groupCols: number[];
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
  const zone = config.zone;
  let spoolDir: string | undefined;
  let stdinSpool: string | undefined;

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

  const historyFromEvents = (t: Ticket, raw: RawEvents, report: boolean): StatusHistory => {
    const times: number[] = [];
    const statuses: string[] = [];
    raw.times.forEach((time, i) => {
      if (time < t.created) {
        if (report) {
          eventProblems++;
          keep({ file: raw.files[i], row: raw.rows[i], message: `event for ticket "${t.id}" is before the ticket was created (${zone.formatShort(t.created)}); it is left out` });
        }
      } else {
        times.push(time);
        statuses.push(raw.statuses[i]);
      }
    });
    return sortHistory(times, statuses);
  };

  /** What a ticket adds to the aggregates (the same in both passes). */
  const contribution = (t: Ticket, fc: FileContext): Contribution => {
    const policy = fc.matcher.match(t);
    const results = METRICS.map((m) => evaluateMetric(t, policy, m, asOf, resolvedSet));
    const counted = (opts.since === undefined || t.created >= opts.since) && (opts.until === undefined || t.created < opts.until);
    const groupValues = groupBy.map((g, i) =>
      g === 'priority' ? t.priority || NONE_KEY : g === 'policy' ? policy?.name ?? NO_POLICY : (t.fields[fc.groupCols[i]] ?? '').trim() || NONE_KEY,
    );
    const wall = zone.instantToWall(t.created);
    const day = Math.floor(wall / MS_PER_DAY);
    return {
      t, policy, results, counted, groupValues,
      facts: {
        category: fc.categories.of(t),
        channel: fc.channel === undefined ? '' : (t.fields[fc.channel] ?? '').trim(),
        customer: fc.customer === undefined ? '' : (t.fields[fc.customer] ?? '').trim(),
        day,
        hour: Math.floor((wall - day * MS_PER_DAY) / MS_PER_HOUR),
        weekday: weekdayOfDay(day),
        satisfaction: fc.satisfaction === undefined ? NaN : parseFloat((t.fields[fc.satisfaction] ?? '').trim()),
      },
    };
  };

  /**
   * Reads one input and calls `visit` for every ticket in reading order (a row, or in the
   * event-log layout a merged ticket). The first pass records rows and problems; the second
   * (duplicates only) just visits again.
   */
  const scan = async (path: string, first: boolean, visit: (t: Ticket, fc: FileContext) => void) => {
    let source = path;
    if (!first && path === '-') source = stdinSpool!;
    else if (first && path === '-') {
      spoolDir ??= mkdtempSync(join(tmpdir(), 'sla-audit-'));
      stdinSpool = join(spoolDir, 'stdin.csv');
    }
    const name = path === '-' ? '(stdin)' : path;
    let info: TableInfo | undefined;
    let fc: FileContext | undefined;
    const merging = config.tickets.layout === 'events' ? new Map<string, Merging>() : undefined;
    const read = await readTable({
      path: source, encoding: config.tickets.encoding, delimiter: config.tickets.delimiter, stdin: opts.stdin,
      spool: first && path === '-' ? stdinSpool : undefined,
      // the second pass reads only a few rows' worth of work: keep it in this thread
      worker: first ? opts.worker ?? 'auto' : 'never',
    }, {
      open(i) {
        info = i;
      },
      header(fields, delimiter) {
        const input = info!;
        const map = new ColumnMap(name, fields, config);
        const order = decideDateOrder(name, input.head, delimiter, map);
        const matcher = new PolicyMatcher(config, map);
        if (first) opts.onMatcher?.(name, matcher);
        const groupCols = groupBy.map((g) => {
          if (g === 'priority' || g === 'policy') return -1;
          const col = map.resolve(g);
          if (col === undefined) throw new InputError(`--group-by ${g}: ${name} has no such column (headers: ${fields.map((h) => `"${h.trim()}"`).join(', ')})`);
          return col;
        });
        fc = {
          reader: new TicketReader(map, config, order, asOf), matcher, groupCols,
          categories: new CategoryResolver(config.categories, map),
          channel: map.index.get('channel'), customer: map.index.get('customer'), satisfaction: map.index.get('satisfaction'),
        };
      },
      record(fields, row, line) {
        if (first) {
          rows++;
          if (opts.onProgress && (rows & 0x3fff) === 0) opts.onProgress(rows);
        }
        if (merging) return mergeRow(merging, fc!.reader, fields, row, line, first);
        const t = fc!.reader.read(fields, row, line);
        if (Array.isArray(t)) {
          if (first) {
            problemRows++;
            t.forEach(keep);
            const id = fc!.reader.idOf(fields);
            if (id) claimed.add(id);
          }
          return;
        }
        if (events) {
          if (first) claimed.add(t.id);
          const raw = events.byTicket.get(t.id);
          if (raw) withHistory(t, historyFromEvents(t, raw, first));
        }
        visit(t, fc!);
      },
      problem(p) {
        if (!first) return;
        rows++;
        problemRows++;
        keep(p);
      },
    });
    if (!fc) throw new InputError(`${name}: has no header row; the first row must name the columns`);
    if (first) warnings.push(...read.warnings.map((w) => w.replace(read.name, name)));
    if (merging) {
      // event-log layout: each ticket's fields from its latest row, its history from all its rows
      for (const [id, m] of merging) {
        const t = fc.reader.read(m.fields, m.row, m.line);
        if (Array.isArray(t)) {
          if (first) {
            problemRows += m.rowCount;
            t.forEach((p) => keep(m.rowCount > 1 ? { ...p, message: `${p.message} (ticket "${id}", latest of its ${m.rowCount} rows; all are left out)` } : p));
          }
          continue;
        }
        withHistory(t, sortHistory(m.times, m.statuses, m.seqs));
        visit(t, fc);
      }
    }
  };

  function mergeRow(merging: Map<string, Merging>, reader: TicketReader, fields: string[], row: number, line: number, first: boolean): void {
    const out: RowProblem[] = [];
    const id = reader.idOf(fields);
    if (fields.length !== reader.width) {
      const p = reader.read(fields, row, line);
      if (Array.isArray(p)) out.push(...p);
    } else if (!id) out.push({ file: reader.file, row, ...(line !== row ? { line } : {}), column: reader.idColumn, message: 'is empty; every ticket needs an id' });
    const updated = out.length ? NaN : reader.time(fields, 'updated_at', row, out);
    if (!out.length && Number.isNaN(updated)) out.push({ file: reader.file, row, column: reader.columnName('updated_at'), message: 'is empty; in the events layout every row needs its update time' });
    if (!out.length && updated > asOf) {
      out.push({ file: reader.file, row, column: reader.columnName('updated_at'), message: `${zone.formatShort(updated)} is after --as-of ${zone.formatShort(asOf)}; the row is left out` });
    }
    if (out.length) {
      if (first) {
        problemRows++;
        out.forEach(keep);
      }
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

  try {
    // pass 1: every ticket once, in reading order
    for (const path of inputs) {
      await scan(path, true, (t, fc) => {
        tickets++;
        const c = contribution(t, fc);
        agg.add(c);
        if (c.counted) opts.onTicket?.(t, c.policy, c.results);
      });
    }

    // duplicate ids: the later row wins. Only the rows whose id fingerprint was seen twice are read again.
    const dups = agg.duplicateFingerprints();
    if (dups.size) {
      const seen = new Map<string, (Contribution & { idColumn: string })[]>();
      const words = new Uint32Array(2);
      for (const path of inputs) {
        await scan(path, false, (t, fc) => {
          hashId(t.id, words);
          if (!dups.has(`${words[1]}:${words[0]}`)) return;
          let list = seen.get(t.id);
          if (!list) seen.set(t.id, (list = []));
          list.push({ ...contribution(t, fc), idColumn: fc.reader.idColumn });
        });
      }
      const replacedIds = new Map<string, { counted: number; keepLast: boolean }>();
      for (const [id, list] of seen) {
        if (list.length < 2) continue; // a fingerprint collision between different ids
        for (let i = 0; i < list.length - 1; i++) {
          const earlier = list[i].t;
          const later = list[i + 1].t;
          agg.retract(list[i]);
          problemRows++;
          tickets--;
          keep({
            file: earlier.file,
            row: earlier.row,
            column: list[i].idColumn,
            message: `duplicate ticket id "${id}": ${later.file === earlier.file ? `row ${later.row}` : `${later.file} row ${later.row}`} has the same id and replaces this row`,
          });
        }
        replacedIds.set(id, { counted: list.filter((c) => c.counted).length, keepLast: list[list.length - 1].counted });
      }
      if (replacedIds.size) opts.onDuplicates?.(replacedIds);
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

    return summarise();
  } finally {
    agg.dispose();
    if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
  }

  function summarise(): AuditResult {
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
    for (const [field, map] of agg.groups) {
      const rowsOut: GroupRow[] = [];
      for (const [key, arr] of map) {
        const m = {} as Record<Metric, Counts>;
        METRICS.forEach((name, i) => (m[name] = toCounts(arr, i * NS)));
        const all = new Float64Array(NS);
        for (let i = 0; i < NM; i++) for (let s = 0; s < NS; s++) all[s] += arr[i * NS + s];
        if (all.every((v) => v === 0)) continue;
        rowsOut.push({ key, metrics: m, overall: toCounts(all) });
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
    const catRows = [...agg.categories].filter(([, c]) => c.tickets > 0);
    catRows.sort((a, b) => b[1].tickets - a[1].tickets || (a[0] < b[0] ? -1 : 1));
    const totalCat = catRows.reduce((a, [, c]) => a + c.tickets, 0);
    let cum = 0;
    const categories: CategoryRow[] = catRows.map(([name, c]) => {
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
        repeat: agg.repeatsUnavailable ? null : repeats.get(name) ?? 0,
      };
    });
    if (agg.repeatsUnavailable) warnings.push('repeat complaints were not counted: more than 8,388,608 customers or 512 categories');

    // trends: days rolled up into the asked (or a fitting) period
    const dayNums = [...agg.days.keys()].sort((a, b) => a - b);
    const periodKind = opts.period ?? autoPeriod(dayNums.length ? dayNums[dayNums.length - 1] - dayNums[0] + 1 : 1);
    const byPeriod = new Map<string, { arr: Float64Array; cats: Map<string, number> }>();
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
      for (const [name, n] of [...p.cats].sort((a, b) => b[1] - a[1])) if (n) cats[name] = n;
      return { period, metrics: m, overall: toCounts(all), categories: cats };
    });

    const WD = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    const hotspots: Hotspots = {
      channels: [...agg.channels].filter(([, c]) => c[0] > 0).map(([channel, c]) => ({ channel, tickets: c[0], breached: c[1], breach_rate: c[1] / c[0] }))
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
}
