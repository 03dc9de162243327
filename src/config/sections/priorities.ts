/** priorities: canonical names, and every alias seen in exports mapped to one of them. */
import type { Problems } from '../positions.js';
import type { Preset } from '../presets.js';
import type { RawConfig } from '../zod-schema.js';

export interface Priorities {
  /** canonical priority names in config order */
  priorities: string[];
  /** lower-cased alias (or canonical name) -> canonical priority */
  priorityLookup: Map<string, string>;
}

export function resolvePriorities(raw: RawConfig['priorities'], preset: Preset | undefined, problems: Problems): Priorities {
  const priorities: string[] = [];
  const priorityLookup = new Map<string, string>();
  for (const [canon, aliases] of Object.entries({ ...(preset?.priorities ?? {}), ...(raw ?? {}) })) {
    priorities.push(canon);
    const add = (alias: string, i?: number) => {
      const k = alias.trim().toLowerCase();
      const prev = priorityLookup.get(k);
      if (prev !== undefined && prev !== canon) {
        problems.add(i === undefined ? ['priorities', canon] : ['priorities', canon, i], `"${alias}" already means ${prev}`);
      }
      priorityLookup.set(k, canon);
    };
    add(canon);
    aliases.forEach((a, i) => add(String(a), i));
  }
  return { priorities, priorityLookup };
}
