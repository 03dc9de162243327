import type { BusinessCalendar } from '../calendar/calendar.js';
import type { Zone } from '../time/zone.js';
import type { CanonicalField, Metric } from './schema.js';
import type { Target } from './values.js';

export interface Policy {
  name: string;
  index: number;
  /** Conditions: all must hold; each is a field (canonical or raw header, lower-cased) and allowed values (lower-cased). */
  when: { key: string; label: string; values: Set<string> }[];
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
  /** how it was given, for reports: "first_response P1 >= 99%" */
  label: string;
}

export interface TicketsConfig {
  path?: string;
  /** canonical field -> CSV header as written in the config (matched case-insensitively, trimmed) */
  columns: Partial<Record<CanonicalField, string>>;
  zone: Zone;
  timestampFormat: string;
  nullValues: Set<string>;
  encoding: string;
  delimiter: string;
}

export interface Config {
  file: string;
  dir: string;
  zone: Zone;
  calendars: Map<string, BusinessCalendar>;
  tickets: TicketsConfig;
  /** canonical priority names in config order */
  priorities: string[];
  /** lower-cased alias (or canonical name) -> canonical priority */
  priorityLookup: Map<string, string>;
  policies: Policy[];
  objectives: Objective[];
}
