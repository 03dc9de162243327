/** messages: the --messages public conversation (ticket_id, timestamp, author) and who its authors are. */
import { makeParser } from '../../time/timestamp.js';
import type { Zone } from '../../time/zone.js';
import type { Problems } from '../positions.js';
import type { RawConfig } from '../zod-schema.js';
import type { Author, MessagesConfig } from '../types.js';
import { asList, zoneAt } from './common.js';

/** Author values most exports use, matched case-insensitively; a config's own lists replace them. */
const DEFAULT_AUTHORS: Record<Exclude<Author, 'ignore'>, string[]> = {
  customer: ['customer', 'end-user', 'end_user', 'enduser', 'requester', 'user', 'contact', 'client', '客户', '用户', '顾客'],
  agent: ['agent', 'admin', 'staff', 'support', 'operator', 'assignee', '客服', '坐席', '工程师'],
};

export function resolveMessages(raw: RawConfig['messages'], zone: Zone, timestampFormat: string, problems: Problems): MessagesConfig {
  const m = raw ?? {};
  const authors = new Map<string, Author>();
  // the defaults of every list the config does not give, then the config's lists, which win over them
  for (const who of ['customer', 'agent'] as const) {
    if (m.authors?.[who] === undefined) for (const v of DEFAULT_AUTHORS[who]) authors.set(v, who);
  }
  const given = new Map<string, Author>();
  for (const who of ['customer', 'agent', 'ignore'] as const) {
    (m.authors?.[who] ?? []).forEach((v, i) => {
      const k = String(v).trim().toLowerCase();
      const prev = given.get(k);
      if (prev !== undefined && prev !== who) return void problems.add(['messages', 'authors', who, i], `"${v}" already means ${prev}`);
      given.set(k, who);
      authors.set(k, who);
    });
  }
  const fmt = m.timestamp_format ?? timestampFormat;
  if (m.timestamp_format !== undefined) {
    const probe = makeParser(fmt, zone, 'dmy');
    if (typeof probe === 'string') problems.add(['messages', 'timestamp_format'], probe);
  }
  return {
    columns: {
      ticket_id: asList(m.columns?.ticket_id) ?? ['ticket_id'],
      timestamp: asList(m.columns?.timestamp) ?? ['timestamp'],
      author: asList(m.columns?.author) ?? ['author'],
    },
    authors,
    zone: zoneAt(m.timezone, zone, ['messages', 'timezone'], problems),
    timestampFormat: fmt,
  };
}
