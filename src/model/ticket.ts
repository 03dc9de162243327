/**
 * What the input stage hands the engine: typed tickets, the columns they were read from, and row
 * problems. Plain data; nothing here reads a file.
 */
import type { CanonicalField } from '../config/schema.js';

export interface RowProblem {
  file: string;
  /** 1-based row number; the header is row 1, so the first ticket is row 2. */
  row: number;
  /** Physical line in the file where the row starts, when it differs from the row number. */
  line?: number;
  column?: string;
  message: string;
}

/** A ticket's status changes, in time order (ties keep file order, or a sequence column's order). */
export interface StatusHistory {
  /** epoch ms, ascending */
  times: number[];
  /** statuses as written (trimmed) */
  statuses: string[];
  /**
   * the assignment group at each change, as written (trimmed; '' when the cell is empty: unassigned;
   * undefined for a row from an --events file without the group column, which leaves the group as it
   * was); absent when the history has no group column (OLAs are then not measured)
   */
  groups?: (string | undefined)[];
}

/** A ticket's public conversation (--messages), in time order (ties keep file order). */
export interface Conversation {
  /** epoch ms, ascending */
  times: Float64Array;
  /** 1 an agent wrote it, 0 the customer */
  agent: Uint8Array;
}

/** One input file's columns, as later stages may ask about them (policy `when`, --group-by, categories). */
export interface Columns {
  readonly file: string;
  readonly header: readonly string[];
  /** Whether its tickets carry a status history (the event-log layout, or --events files). */
  readonly history: boolean;
  /** Column index of each canonical field the file has. */
  readonly at: Readonly<Partial<Record<CanonicalField, number>>>;
  /** Column index of a canonical field or of a raw header (case-insensitive, trimmed), or undefined. */
  resolve(key: string): number | undefined;
  /** The header a canonical field was found under (trimmed), or the field's own name. */
  name(field: CanonicalField): string;
  /** Whether a cell is empty or one of tickets.null_values. */
  isNull(v: string | undefined): boolean;
  /** A cell's text, trimmed; '' when empty, a null value, or no such column. */
  text(cells: string[], i: number | undefined): string;
}

/**
 * A ticket as read from an export. Times are epoch ms as exported (NaN when empty); `priority` is
 * the canonical priority ('' when the cell is empty); the other named fields read the mapped
 * column's cell on demand (trimmed; '' for an empty cell or one of tickets.null_values), so a field nobody asks for costs nothing.
 */
export class Ticket {
  /** status history (from --events or an event-log layout), sorted */
  history?: StatusHistory;
  /**
   * The engine's result per metric (MetricResult, in METRICS order) when another engine computed
   * them already (the compiled SQL on DuckDB); the engine then evaluates everything else as usual.
   */
  precomputed?: readonly unknown[];
  /** its messages (from --messages), when any */
  messages?: Conversation;

  constructor(
    readonly id: string,
    readonly file: string,
    readonly row: number,
    readonly created: number,
    readonly firstResponse: number,
    readonly resolved: number,
    /** first response measured by the vendor in business minutes (e.g. Zendesk's column); NaN when absent */
    readonly firstResponseMinutes: number,
    readonly priority: string,
    /** the row's raw cells, for `when` on raw headers and --group-by */
    readonly cells: string[],
    readonly columns: Columns,
  ) {}

  get status(): string {
    return this.columns.text(this.cells, this.columns.at.status);
  }
  get channel(): string {
    return this.columns.text(this.cells, this.columns.at.channel);
  }
  get category(): string {
    return this.columns.text(this.cells, this.columns.at.category);
  }
  get team(): string {
    return this.columns.text(this.cells, this.columns.at.team);
  }
  get agent(): string {
    return this.columns.text(this.cells, this.columns.at.agent);
  }
  get customer(): string {
    return this.columns.text(this.cells, this.columns.at.customer);
  }
  get subject(): string {
    return this.columns.text(this.cells, this.columns.at.subject);
  }
  get description(): string {
    return this.columns.text(this.cells, this.columns.at.description);
  }
  /** the satisfaction cell as written ('' when absent) */
  get satisfaction(): string {
    return this.columns.text(this.cells, this.columns.at.satisfaction);
  }
  /** the cell under a canonical field or raw header, trimmed ('' when empty, a null value, or no such column) */
  cell(key: string): string {
    return this.columns.text(this.cells, this.columns.resolve(key));
  }
}

/** What the input stage yields, in reading order. */
export type InputItem =
  /** a file's header was read: its columns (before any of its tickets) */
  | { kind: 'source'; columns: Columns }
  | { kind: 'ticket'; ticket: Ticket }
  /**
   * a problem; `rows` is how many data rows it leaves out of the counts (0 for a further problem of
   * a row already counted); `event` when it is about a --events row, `message` a --messages row
   */
  | { kind: 'problem'; problem: RowProblem; rows: number; event?: boolean; message?: boolean }
  /** an earlier ticket with the same id as a later one: it leaves the counts (the later row wins) */
  | { kind: 'replaced'; ticket: Ticket; problem: RowProblem }
  /**
   * a file's tickets read and evaluated elsewhere (on other threads, for ReadOptions.elsewhere):
   * what they add to the audit, in the shape the one who asked for it reads (opaque here)
   */
  | { kind: 'computed'; result: unknown }
  /** the last item: what the reading learned about the inputs as a whole */
  | { kind: 'end'; inputs: string[]; rows: number; eventRows?: number; messageRows?: number; warnings: string[] };

/** Tickets and problems in batches (a batch per few hundred rows keeps the hand-over cheap). */
export type TicketStream = AsyncIterable<InputItem[]>;
