/** satisfaction: text ratings mapped to numbers, and the rating from which a ticket counts as good. */
import type { Problems } from '../positions.js';
import type { RawConfig } from '../zod-schema.js';
import type { SatisfactionConfig } from '../types.js';

export function resolveSatisfaction(raw: RawConfig['satisfaction'], problems: Problems): SatisfactionConfig {
  const values = new Map<string, number>();
  for (const [text, n] of Object.entries(raw?.values ?? {})) {
    if (!Number.isFinite(n)) problems.add(['satisfaction', 'values', text], `${n} is not a number`);
    values.set(text.normalize('NFKC').trim().toLowerCase(), n);
  }
  return { values, good: raw?.good ?? 4 };
}
