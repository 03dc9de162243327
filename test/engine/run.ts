import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { audit, type AuditOptions } from '../../src/index.js';
import type { MetricResult } from '../../src/engine/result.js';
import { parseInstant } from '../../src/time/instant.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** Runs a fixture folder (sla.yaml + tickets.csv) through the API; collects per-ticket results. */
export async function runFixture(dir: string, asOf: string, extra: Partial<AuditOptions> = {}, csv = 'tickets.csv', yaml = 'sla.yaml') {
  const config = loadConfig(join(FIXTURES, dir, yaml));
  const tickets = new Map<string, MetricResult[]>();
  const policies = new Map<string, string | undefined>();
  const result = await audit({
    config,
    inputs: [join(FIXTURES, dir, csv)],
    asOf: parseInstant('--as-of', asOf, config.zone),
    onTicket: ({ ticket: t, policy: p, results: r }) => {
      tickets.set(t.id, r);
      policies.set(t.id, p?.name);
    },
    ...extra,
  });
  return { result, tickets, policies, config };
}
