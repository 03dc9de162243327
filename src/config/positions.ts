/** Where a config problem is: file:line:col and the YAML path, found from the parsed document. */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type Path = (string | number)[];

/** Formats a YAML path the way users read it: policies[1].targets.resolution.P5 */
function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += (out ? '.' : '') + seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(top level)';
}

/** Collects problems with their positions in the YAML source; they come out sorted by line and column. */
export class Problems {
  private readonly found: { line: number; col: number; text: string }[] = [];
  constructor(
    private readonly file: string,
    private readonly doc: Document.Parsed | undefined,
    private readonly lc: LineCounter,
  ) {}

  /** Every problem, one line each, in the order of the file (whole-file problems first). */
  get lines(): string[] {
    const unique = new Set<string>();
    return [...this.found].sort((a, b) => a.line - b.line || a.col - b.col).map((p) => p.text).filter((t) => !unique.has(t) && !!unique.add(t));
  }

  get count(): number {
    return this.found.length;
  }

  /** Position of the node at path (or of its key when `key`), falling back to the nearest parent. */
  private pos(path: Path, key = false): { line: number; col: number } | undefined {
    let node: unknown = this.doc?.contents;
    let best: [number, number] | undefined;
    const at = (n: unknown) => {
      const r = (n as Node | undefined)?.range;
      if (r) best = [r[0], r[1]];
    };
    at(node);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        if (key && i === path.length - 1) {
          at(pair.key);
          node = undefined;
          break;
        }
        node = pair.value;
        at(pair.value ?? pair.key);
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        at(node);
      } else break;
    }
    return best ? this.lc.linePos(best[0]) : undefined;
  }

  /** entries ("objectives.0") whose problems about themselves as a whole are not said (salvage.ts: typoed) */
  quietEntries = new Set<string>();

  add(path: Path, message: string, key = false): void {
    if (path.length === 2 && this.quietEntries.has(`${String(path[0])}.${String(path[1])}`)) return;
    const p = this.pos(path, key);
    this.found.push({ line: p?.line ?? 0, col: p?.col ?? 0, text: `${this.file}${p ? `:${p.line}:${p.col}` : ''} ${formatPath(path)}: ${message}` });
  }

  /** A problem already written out, at a known position (or about the whole file). */
  raw(text: string, line = 0, col = 0): void {
    this.found.push({ line, col, text });
  }
}
