/** tickets and events: where the columns are, how times and text are written, what statuses mean. */
import { makeParser } from '../../time/timestamp.js';
import type { Zone } from '../../time/zone.js';
import type { Problems } from '../positions.js';
import { DEFAULT_RESOLVED_STATUSES, type Preset } from '../presets.js';
import type { RawConfig } from '../zod-schema.js';
import type { EventsConfig, TicketsConfig } from '../types.js';
import { asList, zoneAt } from './common.js';

const lowerSet = (values: string[]) => new Set(values.map((s) => s.trim().toLowerCase()));

export function resolveTickets(raw: RawConfig, zone: Zone, preset: Preset | undefined, problems: Problems): { tickets: TicketsConfig; events: EventsConfig } {
  const t = raw.tickets ?? {};
  const tzone = zoneAt(t.timezone, zone, ['tickets', 'timezone'], problems);
  const fmt = t.timestamp_format ?? preset?.timestampFormat ?? 'auto';
  const probe = makeParser(fmt, tzone, 'dmy');
  if (typeof probe === 'string') problems.add(['tickets', 'timestamp_format'], probe);
  const delimiter = t.delimiter ?? 'auto';
  if (!['auto', ',', ';', '\t', '|', 'tab', 'TAB', '\\t'].includes(delimiter)) {
    problems.add(['tickets', 'delimiter'], `found "${delimiter}" (allowed: auto, ",", ";", "\\t", "|")`);
  }
  const encoding = (t.encoding ?? 'auto').toLowerCase();
  if (encoding !== 'auto') {
    try {
      new TextDecoder(encoding);
    } catch {
      problems.add(['tickets', 'encoding'], `unknown encoding "${t.encoding}" (e.g. auto, utf-8, utf-16le, gb18030, gbk, big5, shift_jis)`);
    }
  }
  const resolvedStatuses = lowerSet(t.resolved_statuses ?? preset?.resolved ?? DEFAULT_RESOLVED_STATUSES);
  const firstResponseStatuses = lowerSet(t.first_response_statuses ?? preset?.firstResponseStatuses ?? []);
  const tickets: TicketsConfig = {
    path: t.path,
    layout: t.layout ?? 'rows',
    columns: Object.fromEntries(Object.entries({ ...(preset?.columns ?? {}), ...(t.columns ?? {}) }).map(([k, v]) => [k, asList(v)!])),
    userColumns: new Set(Object.keys(t.columns ?? {})),
    resolvedStatuses,
    firstResponseStatuses,
    responseOrResolved: new Set([...firstResponseStatuses, ...resolvedStatuses]),
    zone: tzone,
    timestampFormat: fmt,
    nullValues: new Set((t.null_values ?? preset?.nullValues ?? ['']).map((v) => String(v).trim().toLowerCase())),
    encoding,
    delimiter: delimiter === 'tab' || delimiter === 'TAB' || delimiter === '\\t' ? '\t' : delimiter,
  };
  const events: EventsConfig = {
    columns: {
      ticket_id: asList(raw.events?.columns?.ticket_id) ?? ['ticket_id'],
      timestamp: asList(raw.events?.columns?.timestamp) ?? ['timestamp'],
      status: asList(raw.events?.columns?.status) ?? ['status'],
      group: asList(raw.events?.columns?.group) ?? ['group', 'assignment_group'],
    },
    groupMapped: raw.events?.columns?.group !== undefined,
    zone: zoneAt(raw.events?.timezone, tzone, ['events', 'timezone'], problems),
    timestampFormat: raw.events?.timestamp_format ?? fmt,
  };
  return { tickets, events };
}
