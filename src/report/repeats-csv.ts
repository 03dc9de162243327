/**
 * Customers with repeat complaints as CSV (-o repeats.csv): a row per customer and category with
 * at least one repeat (SPEC §7: the same customer and category within repeat_within of their
 * previous ticket), most repeats first. For a list that leaves the company the customer key can be
 * hashed (keyed HMAC-SHA-256, 16 hex digits) or shortened; cells are escaped against formula injection.
 */
import { createHmac } from 'node:crypto';
import type { RepeatCustomer } from '../engine/result.js';
import type { Zone } from '../time/zone.js';
import { csvCell } from './csv.js';

const REPEATS_CSV_HEADER = 'customer,category,tickets,repeats,first_ticket_id,first_created_at,last_ticket_id,last_created_at';

/** How the customer column is written: as in the export, a keyed hash, or its first characters. */
export const CUSTOMER_KEYS = ['raw', 'hash', 'short'] as const;
export type CustomerKey = (typeof CUSTOMER_KEYS)[number];

/** Whether an -o file asks for the repeat customers: repeats.csv, or a name ending in -repeats.csv, _repeats.csv or .repeats.csv. */
export function isRepeatsFile(file: string): boolean {
  return /(^|[/\\\-_.])repeats\.csv$/i.test(file);
}

/**
 * A customer key for the list: `hash` is HMAC-SHA-256 under `secret`, its first 16 hex digits (the
 * same customer gives the same hash under the same secret, and without it nobody can test a guess);
 * `short` keeps the first characters — at most 3, and never more than half — then "…".
 */
export function customerKey(customer: string, how: CustomerKey, secret: string): string {
  if (how === 'hash') return createHmac('sha256', secret).update(customer, 'utf8').digest('hex').slice(0, 16);
  if (how === 'short') {
    const chars = [...customer];
    return `${chars.slice(0, Math.min(3, Math.floor(chars.length / 2))).join('')}…`;
  }
  return customer;
}

export function repeatsCsv(rows: readonly RepeatCustomer[], zone: Zone, how: CustomerKey, secret: string): string {
  const lines = [REPEATS_CSV_HEADER];
  for (const r of rows) {
    lines.push([
      csvCell(customerKey(r.customer, how, secret)), csvCell(r.category), r.tickets, r.repeats,
      csvCell(r.firstId ?? ''), zone.format(r.firstAt), csvCell(r.lastId ?? ''), zone.format(r.lastAt),
    ].join(','));
  }
  return lines.join('\n') + '\n';
}
