import type { BusinessCalendar } from '../calendar/calendar.js';
import type { Zone } from '../time/zone.js';
import type { CanonicalField, Metric } from './schema.js';
import type { Target } from './values.js';

export interface Policy {
  name: string;
  index: number;
  /** Conditions: all must hold; each is a field (canonical or raw header, lower-cased) and allowed values (lower-cased). */
  when: { key: string; label: string; values: Set<string>; shown: string[] }[];
  from?: number;
  to?: number;
  fromText?: string;
  toText?: string;
  calendar: BusinessCalendar;
  /** metric -> canonical priority (or "default") -> target */
  targets: Record<Metric, Map<string, Target>>;
  warnAt: number;
  pauseOn: Set<string>;
}

export interface Objective {
  metric: Metric | 'overall';
  priority?: string;
  policy?: string;
  min: number;
  minTickets: number;
  /** where it was given when not in the config, e.g. "--fail-under" */
  origin?: string;
}

export interface TicketsConfig {
  path?: string;
  layout: 'rows' | 'events';
  /** canonical field -> CSV headers to try, in order (matched case-insensitively, trimmed) */
  columns: Partial<Record<CanonicalField, string[]>>;
  /** fields the user mapped in tickets.columns (a preset's other columns may be absent) */
  userColumns: Set<string>;
  /** lower-cased statuses that mean resolved */
  resolvedStatuses: Set<string>;
  /** lower-cased statuses whose first appearance counts as the first response */
  firstResponseStatuses: Set<string>;
  /** both of the above: the first of them in a history is the first response */
  responseOrResolved: Set<string>;
  zone: Zone;
  timestampFormat: string;
  nullValues: Set<string>;
  encoding: string;
  delimiter: string;
}

export interface EventsConfig {
  columns: { ticket_id: string[]; timestamp: string[]; status: string[] };
  zone: Zone;
  timestampFormat: string;
}

export interface CategoriesConfig {
  field: string;
  /** NFKC + lower-cased value -> category name */
  aliases: Map<string, string>;
  rules: { category: string; keywords: string[] }[];
  default: string;
  repeatWithinMs: number;
}

export interface Config {
  file: string;
  dir: string;
  zone: Zone;
  calendars: Map<string, BusinessCalendar>;
  tickets: TicketsConfig;
  events: EventsConfig;
  preset?: string;
  /** canonical priority names in config order */
  priorities: string[];
  /** lower-cased alias (or canonical name) -> canonical priority */
  priorityLookup: Map<string, string>;
  policies: Policy[];
  objectives: Objective[];
  categories: CategoriesConfig;
}
