/**
 * kpis: custom KPIs read from a column — `share` (tickets whose cell is one of some values ÷ tickets
 * with a non-empty cell, a rate) or `mean` (the mean of the numeric cells, a number). A name is one
 * word (letters, digits, _ and -), so it can never be mistaken for or shadow a catalogue name.
 */
import { kpiDef } from '../kpis.js';
import type { Problems } from '../positions.js';
import { METRICS } from '../schema.js';
import type { CustomKpi } from '../types.js';
import type { RawConfig } from '../zod-schema.js';

const NAME = /^\p{L}[\p{L}\p{N}_-]*$/u;

/** How a share's values and cells are compared: NFKC (full-width ＯＫ is OK), trimmed, lower-cased. */
export function shareKey(v: string): string {
  return v.normalize('NFKC').trim().toLowerCase();
}

export function resolveCustomKpis(raw: RawConfig['kpis'], problems: Problems): CustomKpi[] {
  return Object.entries(raw ?? {}).flatMap(([name, k]): CustomKpi[] => {
    const p = ['kpis', name];
    if (kpiDef(name) || (METRICS as readonly string[]).includes(name) || name === 'overall') {
      problems.add(p, `"${name}" is ${kpiDef(name) ? 'a catalogue KPI' : 'a metric\'s name'}; a custom KPI needs a name of its own (e.g. ${name.replace(/\./g, '_')}_custom)`, true);
      return [];
    }
    if (!NAME.test(name)) {
      problems.add(p, `"${name}" cannot be a KPI name: one word of letters, digits, _ and -, starting with a letter (no dots or spaces), e.g. standards_rate`, true);
      return [];
    }
    const given = (['share', 'mean'] as const).filter((s) => k[s] !== undefined);
    if (given.length !== 1) {
      problems.add(p, given.length ? 'gives both share and mean; a custom KPI is one of them' : 'says nothing to compute; give share: { column, values } or mean: { column }');
      return [];
    }
    const stat = given[0];
    const column = (stat === 'share' ? k.share!.column : k.mean!.column).trim();
    if (!column) {
      problems.add([...p, stat, 'column'], 'is empty; name the column (a canonical field or the CSV header)');
      return [];
    }
    const shown = stat === 'share' ? k.share!.values.map(String) : [];
    const empty = shown.findIndex((v) => shareKey(v) === '');
    if (empty >= 0) {
      problems.add([...p, 'share', 'values', empty], 'is empty; an empty cell is never counted (neither a hit nor in the denominator), so list the values that count as a hit');
      return [];
    }
    const higherIsBetter = (k.direction ?? 'higher') === 'higher';
    const about = stat === 'share'
      ? `tickets whose ${column} is ${shown.join(' | ')} ÷ tickets with a non-empty ${column}`
      : `the mean of the numeric ${column} cells`;
    return [{
      name, stat, column, values: new Set(shown.map(shareKey)), shown,
      def: { name, kind: stat === 'share' ? 'rate' : 'number', higherIsBetter, about },
    }];
  });
}
