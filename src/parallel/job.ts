/**
 * What the main thread and a part's worker thread tell each other (parallel.ts, part-worker.ts):
 * plain data only, as it crosses threads by structured clone.
 */
import type { CalendarReach } from '../calendar/calendar.js';
import type { Objective } from '../config/types.js';
import type { AggregatorState } from '../engine/aggregate.js';
import type { EngineOptions } from '../engine/audit.js';
import type { Period } from '../engine/periods.js';
import type { HandedKeys } from '../model/sorted-keys.js';
import type { RowProblem } from '../model/ticket.js';

/** The engine settings of a run, as a worker needs them (the config it loads itself). */
export type PartEngine = Pick<EngineOptions, 'asOf' | 'since' | 'until' | 'groupBy' | 'extraObjectives' | 'maxBreaches' | 'period' | 'split' | 'listRepeats'> & { notAfter?: number };

export interface PartJob {
  /** the file as given, and as its rows' problems name it */
  path: string;
  /** which part, in file order; the first reads the header. Its byte range comes in a message once the cuts are proven (ToPart). */
  index: number;
  /** tickets.encoding as configured (the first part opens the file as a whole file is opened) */
  encodingSetting: string;
  /** the encoding the whole file was opened in (the later parts are read in it) */
  encoding: string;
  delimiter: string;
  /** the first bytes of the whole file as text: the day/month order of dates is decided from them, as in one pass */
  head: string;
  configPath: string;
  /** the config's digest as the main thread loaded it: the worker's must be the same */
  digest: string;
  engine: PartEngine;
  /** records a part's sorted key runs hold in memory before spilling to disk (the main thread's chunk shared among the parts) */
  keyChunk: number;
  /** the folder the part's sorted key runs are spilled under: the main thread removes it whole once the run is over */
  tmp: string;
  /** internal, for the tests of a failing worker (SLA_AUDIT_PARALLEL_FAIL) */
  fail?: 'read' | 'crash' | 'exit';
}

/**
 * Where a problem kept by a part came from, which says how its row and line numbers move once the
 * rows and lines of the parts before are known: the CSV reader's (row and line, both always given,
 * the line also in the message of a quote never closed), the ticket reader's (the line given only
 * where it is not the row's), or the engine's (a custom KPI cell: the row alone).
 */
export type ProblemOrigin = 'csv' | 'reader' | 'engine';

/** What a part's worker hands back once its last row is evaluated. */
export interface PartResult {
  /** rows and physical lines read (the first part's header row included): the shift of the next part */
  rows: number;
  lines: number;
  /** data rows read, the rows left out with problems included (as the one-pass reading counts them) */
  dataRows: number;
  bytes: number;
  tickets: number;
  /** the ids' fingerprints (high and low words), handed over as sorted runs in files */
  ids: HandedKeys;
  state: AggregatorState;
  /** the problems the part's log kept (numbered within the part), where each came from, and its counts */
  problems: { kept: RowProblem[]; origins: ProblemOrigin[]; dropped: number; rows: number; cells: number };
  warnings: string[];
  /** per calendar (by name): what the part asked of it outside its data */
  reach: [string, CalendarReach][];
}

/** Messages to a part's worker: its byte range, then (for the later parts) the header the first part read. */
export type ToPart = { t: 'range'; start: number; end: number } | { t: 'header'; fields: string[] };

/** Messages from a part's worker. */
export type FromPart =
  | { t: 'header'; fields: string[] }
  | { t: 'progress'; rows: number; bytes: number }
  | { t: 'done'; result: PartResult; header: boolean }
  | { t: 'error'; message: string; user: boolean; configLines?: string[] };
