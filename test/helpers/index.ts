import { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import { parseConfig } from '../../src/config/load.js';
import { audit, type AuditOptions } from '../../src/engine/audit.js';

export const cfg = (yaml: string) => parseConfig(yaml, 'sla.yaml');

/** Epoch ms of a wall time in a zone, computed with Luxon (independently of the code under test). */
export const at = (iso: string, zone: string) => {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new Error(`bad test time ${iso}`);
  return dt.toMillis();
};

export const fmt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

/** Runs the audit on inline YAML and CSV text (through the stdin path of the reader). */
export async function auditText(yaml: string, csv: string, asOf: string, extra: Partial<AuditOptions> = {}) {
  const config = cfg(yaml);
  return audit({
    config,
    inputs: ['-'],
    stdin: Readable.from([Buffer.from(csv)]),
    asOf: at(asOf, config.zone.name),
    ...extra,
  });
}
