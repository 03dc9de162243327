import { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import { ConfigError } from '../../src/errors.js';
import { CSV_HEADER, audit, csvLines, loadConfig, parseConfig, parseInstant, renderReport, type AuditOptions } from '../../src/index.js';

export const cfg = (yaml: string) => parseConfig(yaml, 'sla.yaml');

/** The config's problems, one line each, as the CLI prints them (none: []). */
export function configErrors(yaml: string): string[] {
  try {
    parseConfig(yaml, 'sla.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e.lines;
    throw e;
  }
  return [];
}

/** Epoch ms of a wall time in a zone, computed with Luxon (independently of the code under test). */
export const at = (iso: string, zone: string) => {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new Error(`bad test time ${iso}`);
  return dt.toMillis();
};

export const fmt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

/** Runs the audit on inline YAML and CSV text (through the stdin path of the reader). */
export async function auditText(yaml: string, csv: string, asOf: string | undefined, extra: Partial<AuditOptions> = {}) {
  const config = cfg(yaml);
  return audit({
    config,
    inputs: ['-'],
    stdin: Readable.from([Buffer.from(csv)]),
    // no --as-of: now, and later timestamps are problems
    asOf: asOf === undefined ? undefined : at(asOf, config.zone.name),
    ...extra,
  });
}

/**
 * The reports `check -f json` and `check -f csv` would print, made in-process through the public
 * API (for tests that are not about the process boundary).
 */
export async function reportsOf(configFile: string, inputs: string[], asOf: string, extra: Partial<AuditOptions> = {}) {
  const config = loadConfig(configFile);
  let csv = CSV_HEADER + '\n';
  const result = await audit({ config, inputs, asOf: parseInstant('--as-of', asOf, config.zone), onTicket: (ev) => (csv += csvLines(ev, config.zone)), ...extra });
  return { result, json: JSON.parse(renderReport(result, 'json')), csv, warnings: result.warnings };
}
