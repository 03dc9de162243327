import type { CategoriesConfig } from '../config/types.js';
import type { Columns, Ticket } from '../model/ticket.js';

const normText = (s: string) => s.normalize('NFKC').toLowerCase();

/**
 * A ticket's complaint category: the mapped column's value through `aliases`; when empty, the first
 * rule with a keyword in the subject or description (NFKC, case-insensitive, substrings, so Chinese
 * keywords and full-width letters work); else the default.
 */
export class CategoryResolver {
  private readonly col: number | undefined;
  private readonly text: number[];
  constructor(
    private readonly cfg: CategoriesConfig,
    map: Columns,
  ) {
    this.col = map.resolve(cfg.field);
    this.text = (['subject', 'description'] as const).flatMap((f) => {
      const i = map.at[f];
      return i === undefined ? [] : [i];
    });
  }

  /** raw cell -> category, so NFKC runs once per distinct value */
  private readonly seen = new Map<string, string>();
  /** subject (and description) -> category by the keyword rules */
  private readonly byText = new Map<string, string>();

  of(t: Ticket): string {
    const cell = this.col === undefined ? '' : t.cells[this.col] ?? '';
    if (cell !== '') {
      let cat = this.seen.get(cell);
      if (cat === undefined) {
        const raw = t.columns.text(t.cells, this.col);
        cat = raw ? this.cfg.aliases.get(normText(raw)) ?? raw : '';
        if (this.seen.size < 10_000) this.seen.set(cell, cat);
      }
      if (cat) return cat;
    }
    if (this.cfg.rules.length && this.text.length) {
      const raw = this.text.length === 1 ? t.cells[this.text[0]] ?? '' : this.text.map((i) => t.cells[i] ?? '').join('\n');
      let cat = this.byText.get(raw);
      if (cat === undefined) {
        const text = normText(raw);
        cat = this.cfg.rules.find((r) => r.keywords.some((k) => text.includes(k)))?.category ?? this.cfg.default;
        if (this.byText.size < 10_000) this.byText.set(raw, cat);
      }
      return cat;
    }
    return this.cfg.default;
  }
}
