/** What the SQL compiler is given: the config, where the tickets (and a history) are, the as-of instant and the spine's range. */
import type { Config, Objective } from '../config/types.js';
import type { Period } from '../config/schema.js';
import type { DialectName } from './dialect.js';
import type { SpineRange } from './spine.js';

/** Where the compiled script finds the columns it reads. */
interface SourceColumns {
  /** the SQL column (unquoted name) under a canonical field or raw header, as the config names it; undefined when there is none */
  column(key: string): string | undefined;
}

/** A status-history table: one row per status change (the --events file's columns). */
interface HistorySource {
  table: string;
  id: string;
  time: string;
  status: string;
  /** a column giving the file order (ties between equal times keep it) */
  order?: string;
}

export interface CompileInput {
  config: Config;
  dialect: DialectName;
  /** the tickets relation, as SQL (already quoted) */
  table: string;
  columns: SourceColumns;
  /** a column giving each row's order in the export: among rows with the same id, the later wins; without it every row of a repeated id is a problem */
  rowColumn?: string;
  history?: HistorySource;
  /** epoch ms; undefined: the engine's current time when the script runs (later timestamps are then problems) */
  asOf?: number;
  /** with asOf: it is "now", and later timestamps are problems (as the engine does without --as-of) */
  asOfIsNow?: boolean;
  since?: number;
  until?: number;
  /** the instants the spine covers; tickets in the audit outside it are problems */
  range: SpineRange;
  /** the instants the zone's offset table covers for reading naive times (default: range) */
  parseRange?: SpineRange;
  /**
   * The time columns (created, first response, resolved, and the history's) are already instants
   * (TIMESTAMPTZ or the dialect's equivalent), read as they are instead of parsed from text;
   * false where the caller could (sql without --typed): a refused timestamp_format says so
   */
  typed?: boolean;
  /** a table loaded from `sla-audit calendar -f csv` instead of the spine written into the script */
  spineTable?: string;
  objectives: Objective[];
  /** the breakdown fields of sla_acc's group scope (check's --group-by; default priority, policy) */
  groupBy?: string[];
  /** sla_acc's period scope (check's --period) */
  period?: Period;
  /** keep the result tables in this schema, replacing the previous run's (sql --schema) */
  schema?: string;
  /** how many of the worst breaches sla_worst_breaches keeps (default 100, as check) */
  maxBreaches?: number;
  /** end with a statement that fails when an objective fails (sql --gate) */
  gate?: boolean;
  /** the config's path as shown in the header */
  configName?: string;
  /** what a refused objective's message says to do (default: the sql command's --compliance-objectives-only) */
  objectiveRefusalHint?: string;
  /** objectives left out on request (--compliance-objectives-only), for the header */
  leftOut?: number;
  /**
   * The caller compares every cell a `contains` reads with its NFKC form before it trusts the
   * result (--engine duckdb does): an engine without NFKC then folds them with LOWER alone.
   */
  nfkcChecked?: boolean;
  /** leave every intermediate relation in place (the caller reads them after the script); by default each table is dropped once its last reader has run */
  keepIntermediates?: boolean;
}
