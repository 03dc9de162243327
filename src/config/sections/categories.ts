/** categories: complaint categories from a column (through aliases) or keyword rules, and repeat complaints. */
import { MS_PER_DAY } from '../../time/civil.js';
import type { Problems } from '../positions.js';
import type { RawConfig } from '../zod-schema.js';
import type { CategoriesConfig } from '../types.js';
import { parseDuration } from '../values.js';

const norm = (v: string) => v.normalize('NFKC').trim().toLowerCase();

export function resolveCategories(raw: RawConfig['categories'], problems: Problems): CategoriesConfig {
  const rc = raw ?? {};
  const aliases = new Map<string, string>();
  for (const [cat, values] of Object.entries(rc.aliases ?? {})) {
    aliases.set(norm(cat), cat);
    values.forEach((v) => aliases.set(norm(String(v)), cat));
  }
  let repeatWithinMs = 30 * MS_PER_DAY;
  if (rc.repeat_within !== undefined) {
    const d = parseDuration(rc.repeat_within);
    if (typeof d === 'string' || d.kind !== 'time') problems.add(['categories', 'repeat_within'], typeof d === 'string' ? d : d.kind === 'mo' ? 'use days or hours here (e.g. 30d or 72h): a month is 28 to 31 days' : 'use calendar time here (e.g. 30d or 72h), not business days');
    else repeatWithinMs = d.ms;
  }
  return {
    field: rc.field ?? 'category',
    aliases,
    rules: (rc.rules ?? []).map((r) => ({ category: r.category, keywords: r.keywords.map(norm).filter(Boolean) })),
    default: rc.default ?? 'Other',
    repeatWithinMs,
  };
}
