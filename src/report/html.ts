import type { AuditResult, Counts, ObjectiveResult, PeriodRow, ScoreCard, ScorecardResult } from '../engine/result.js';
import type { KpiDef } from '../config/kpis.js';
import { labels, type Common, complianceText, duration, kindOf, kpiText, objectiveActual, objectiveLabel, objectiveTally, pct, signed, tallyText, when, shownKpis, metricRows, olaRows, metricLabel, creditCells, creditsTitle, escalationTable, overText, shareText, targetAndElapsed } from './format.js';
import { cardCells, cardNotes } from './scorecards.js';
import { escapeXml as esc } from './escape.js';
import type { ReportContext } from './json.js';
import { textWidthEm } from './width.js';
import { DEFAULT_AT_RISK_MARGIN, objectivesFor, objectiveStanding, standingOfValue, worst, type RowScope, type Standing } from './standing.js';
import { messages, type Messages } from './i18n/index.js';

const CSS = `
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--ink:#1f2328;--mute:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--lw:11em;--vw:3.6em}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 -apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--ink);background:#fff;-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:1200px;margin:0 auto;padding:16px}h1{font-size:1.4rem;margin:.2em 0}h2{font-size:1.1rem;margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
.meta{color:var(--mute);font-size:.9rem}.verdict{display:inline-block;padding:.2em .7em;border-radius:1em;color:#fff;font-weight:600}.pass{background:var(--ok)}.fail{background:var(--bad)}.none{background:var(--mute)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin-top:12px}.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:10px}
.card b{display:block;font-size:1.5rem;width:max-content;max-width:100%}.scroll,.tbl{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:4px 6px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top;white-space:nowrap}th:first-child,td:first-child{text-align:left}
th{background:var(--bg);font-weight:600;white-space:normal;overflow-wrap:break-word;word-break:keep-all}td{word-break:keep-all}td.text{text-align:left;min-width:6em;white-space:normal;overflow-wrap:break-word;word-break:normal}table.wide td{white-space:normal}th.text{text-align:left}
table.wide{font-size:.8rem}table.wide th,table.wide td{padding:3px 4px}table.heat td,table.heat th{text-align:center;padding:2px 1px;min-width:1.6em}table.heat td:first-child,table.heat th:first-child{text-align:left}.heat-cell{display:block}
.st{padding:0 .3em;border-radius:.3em;font-weight:600}.st-met{color:var(--ok);background:#dafbe1}.st-risk{color:var(--warn);background:#fff8c5}.st-failed{color:var(--bad);background:#ffebe9}
.standing-legend{font-size:.85rem;color:var(--mute);margin:.8em 0}.standing-legend .st{margin-right:.3em}.standing-legend span.item{display:inline-block;margin-right:1.2em}
svg{width:100%;height:auto;display:block}#trend{min-width:560px;max-width:800px}svg text{font-size:12px;fill:var(--mute)}.legend span{display:inline-block;margin-right:12px;font-size:.85rem}.sw{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
.bars{position:relative;margin:8px 0 14px}.bar-row{display:grid;grid-template-columns:var(--lw) 1fr var(--vw);align-items:center;gap:0 6px;min-height:26px}
.bar-label{text-align:right;font-size:.85rem;line-height:1.2;color:var(--mute);overflow-wrap:anywhere}.bar-track{position:relative;height:20px}.bar-value{font-size:.85rem}
.score-bar{display:block;height:100%;background:#54aeff;border-radius:0 3px 3px 0}.score-bar[data-standing=met]{background:#4ac26b}.score-bar[data-standing=risk]{background:#d4a72c}.score-bar[data-standing=failed]{background:#ff8182}
.grade-lines{position:absolute;top:0;bottom:0;left:calc(var(--lw) + 6px);right:calc(var(--vw) + 6px);pointer-events:none}.grade-line{position:absolute;top:0;bottom:0;border-left:1.5px dashed var(--mute)}
.grade-tag{position:absolute;left:0;transform:translateX(-50%);font-size:.75rem;line-height:1.2;color:var(--mute);white-space:nowrap}
@media (max-width:640px){
main{padding:10px}:root{--lw:7em}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}table.stack thead{display:none}
table.stack tr{border:1px solid var(--line);border-radius:6px;margin:0 0 8px;padding:4px 8px}
table.stack td{display:flex;justify-content:space-between;align-items:baseline;gap:1em;border:0;padding:2px 0;text-align:right;min-width:0;white-space:normal;overflow-wrap:anywhere}
table.stack td::before{content:attr(data-label);color:var(--mute);text-align:left;font-weight:400}table.stack td:first-child{font-weight:600}table.stack td:empty{display:none}
table.heat,table.heat tbody{display:block}table.heat thead{display:none}table.heat tr{display:flex;flex-wrap:wrap;gap:2px;margin:0 0 6px}
table.heat td{display:block;width:2.9em;min-height:2.7em;border:1px solid var(--line);padding:0}table.heat td:first-child{width:100%;border:0;font-weight:600}table.heat td::before{content:attr(data-label);display:block;font-size:.7rem;color:var(--mute)}table.heat td:first-child::before{content:none}
}
@media print{
@page{size:A4;margin:12mm 10mm}body{font-size:10pt}main{max-width:none;padding:0}
.scroll,.tbl{overflow:visible}svg,#trend{min-width:0!important;max-width:100%}
table{font-size:9pt}table.wide{font-size:7pt}th,td{padding:2px 3px}table.wide th,table.wide td{padding:1px 2px}thead{display:table-header-group}
tr,.card,.bar-row,.standing-legend,.legend{break-inside:avoid}h2,h3{break-after:avoid}svg,.bars{break-inside:avoid}
}
`;

const COLORS: Record<string, string> = { overall: '#0969da', first_response: '#8250df', resolution: '#bf3989' };

const standingName = (m: Messages['html'], s: Standing) => (s === 'met' ? m.standingMet : s === 'risk' ? m.standingRisk : m.standingFailed);

/**
 * How the rows of one report stand against their objectives: a cell's value wrapped in its
 * standing's colour (met, at risk within the margin, failed), uncoloured where no objective applies.
 */
export class Standings {
  readonly margin: number;
  /** the shared labels (objective names, metric names) of the report's language */
  readonly t: Common;
  constructor(readonly r: Pick<AuditResult, 'objectives' | 'customKpis'>, ctx: ReportContext, readonly m: Messages['html'] = messages(ctx.lang).html) {
    this.margin = ctx.atRiskMargin ?? DEFAULT_AT_RISK_MARGIN;
    this.t = labels(ctx.lang);
  }

  /** The standing of a KPI over a scope (the worst of the objectives over exactly that), with the objectives and each one's own standing. */
  of(kpi: string, scope: RowScope = {}): { standing: Standing | null; objectives: ObjectiveResult[]; each: (Standing | null)[] } {
    const objectives = objectivesFor(this.r.objectives, kpi, scope);
    const rate = kindOf(kpi, this.r.customKpis) === 'rate';
    const each = objectives.map((o) => objectiveStanding(o, this.margin, rate));
    return { standing: worst(each), objectives, each };
  }

  /**
   * Escaped text in its standing's colour, its objectives named in a tooltip: under the standing,
   * or each under its own (`[label, standing]`), so an objective at risk is never listed as failed.
   */
  span(text: string, standing: Standing | null, objectives: (string | [string, Standing | null])[], tag = 'span'): string {
    if (standing === null) return `<${tag}>${esc(text)}</${tag}>`;
    const items = objectives.map((o): [string, Standing | null] => (typeof o === 'string' ? [o, standing] : o));
    const order: (Standing | null)[] = ['failed', 'risk', 'met', null];
    const tip = order.map((s) => [s, items.filter(([, x]) => x === s).map(([l]) => l)] as const).filter(([, ls]) => ls.length)
      .map(([s, ls]) => (s === null ? ls.join('; ') : this.m.standingTip(standingName(this.m, s), ls.join('; ')))).join('; ');
    return `<${tag} class="st st-${standing}" title="${esc(tip)}">${esc(text)}</${tag}>`;
  }

  /** A cell (raw HTML) with a KPI's value over a scope, coloured by the objectives over exactly that row. */
  cell(kpi: string, text: string, scope: RowScope = {}): string {
    return raw(this.span(text, ...this.tipped(kpi, scope)));
  }

  /** The standing of a KPI over a scope and its objectives, each with its own standing, for span(). */
  tipped(kpi: string, scope: RowScope = {}): [Standing | null, [string, Standing | null][]] {
    const { standing, objectives, each } = this.of(kpi, scope);
    return [standing, objectives.map((o, i) => [objectiveLabel(o, this.r.customKpis, this.t), each[i]])];
  }

  /** A scorecard group's score against the scorecard's objectives (every scored group must reach min_score). */
  scoreCell(scorecard: string, score: number | null, text: string): string {
    const standing = this.scoreStanding(scorecard, score);
    if (standing === null) return text;
    const own = (o: ObjectiveResult) => (score === null || o.min_score === undefined ? null : standingOfValue(score, { min: o.min_score }, 'score', this.margin));
    return raw(this.span(text, standing, this.r.objectives.filter((o) => o.scorecard === scorecard).map((o): [string, Standing | null] => [objectiveLabel(o, this.r.customKpis, this.t), own(o)])));
  }

  /** A scorecard group's standing: its score against each of the scorecard's objectives; null without one or without a score. */
  scoreStanding(scorecard: string, score: number | null): Standing | null {
    const objectives = this.r.objectives.filter((o) => o.scorecard === scorecard && o.min_score !== undefined);
    if (score === null || !objectives.length) return null;
    return worst(objectives.map((o) => standingOfValue(score, { min: o.min_score }, 'score', this.margin)));
  }

  /** What the colours mean, with the margin. */
  legend(): string {
    const m = this.m;
    const item = (s: Standing, what: string) => `<span class="item"><span class="st st-${s}">${esc(standingName(m, s))}</span>${esc(what)}</span>`;
    return `<p class="standing-legend">${esc(m.legendIntro)} ${item('met', m.legendMet)}${item('risk', m.legendRisk(this.margin))}${item('failed', m.legendFailed)}<span class="item">${esc(m.legendNone)}</span></p>`;
  }
}

/** A heading for a table: escaped, breakable after the dots and underscores of KPI names. */
const headText = (h: string) => esc(h).replace(/([._])(?=[A-Za-z])/g, '$1<wbr>');

/**
 * A table that fits its page: text wraps (headers after a KPI name's dots too), one with many
 * columns is set smaller, and on a narrow screen each row becomes a card of "heading value" lines
 * (`stack`, more than four columns). `textCols` are left-aligned text columns.
 */
export function table(head: string[], rows: (string | number)[][], textCols: number[] = [], kind: 'stack' | 'heat' | 'plain' = head.length > 4 ? 'stack' : 'plain'): string {
  const th = head.map((h, i) => `<th${textCols.includes(i) ? ' class="text"' : ''}>${headText(h)}</th>`).join('');
  const label = head.map((h) => (h ? ` data-label="${esc(h)}"` : ''));
  const trs = rows.map((r) => `<tr>${r.map((c, i) => `<td${textCols.includes(i) ? ' class="text"' : ''}${label[i] ?? ''}>${typeof c === 'string' && c.startsWith('\u0001') ? c.slice(1) : textCols.includes(i) ? headText(String(c)) : esc(c)}</td>`).join('')}</tr>`).join('');
  const cls = [kind === 'plain' ? '' : kind, head.length > 10 ? 'wide' : ''].filter(Boolean).join(' ');
  return `<div class="tbl"><table${cls ? ` class="${cls}"` : ''}><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table></div>`;
}

/** [a, b, c, d, …] as rows of two pairs: [a, b, c, d]. */
function pairs(items: string[][]): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < items.length; i += 2) rows.push([...items[i], ...(items[i + 1] ?? ['', ''])]);
  return rows;
}

/** Raw HTML for a table cell (already escaped). */
const raw = (html: string) => `\u0001${html}`;

/** Compliance per period as lines (overall and each metric), 0-100 %, and a dashed line at each objective's minimum. */
function trendSvg(periods: PeriodRow[], objectives: ObjectiveResult[], m: Messages['html'], tc: Common): string {
  const W = 640, H = 240, L = 44, T = 12, B = 40;
  const n = periods.length;
  const x = (i: number) => L + (n === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1));
  // one target line per metric and minimum (an objective narrowed to a priority or policy is drawn
  // against its metric's line, and named in full)
  const targets = new Map<string, { metric: string; min: number; labels: string[] }>();
  for (const o of objectives) {
    // the chart draws compliance per metric, so only compliance objectives have a line on it
    if (o.metric === undefined || o.min === undefined || o.period !== undefined) continue;
    const k = `${o.metric} ${o.min}`;
    const t = targets.get(k) ?? { metric: o.metric, min: o.min, labels: [] };
    t.labels.push(objectiveLabel(o, [], tc));
    targets.set(k, t);
  }
  // the right margin holds each target's minimum beside its line
  const R = targets.size ? 48 : 12;
  // the y axis starts at a round ten below the lowest point or target, so small changes show
  const values = [
    ...periods.flatMap((p) => [p.overall.compliance, p.metrics.first_response.compliance, p.metrics.resolution.compliance]).filter((v): v is number => v !== null),
    ...[...targets.values()].map((t) => t.min),
  ];
  const floor = Math.max(0, Math.floor(((values.length ? Math.min(...values) : 0) * 100 - 5) / 10) * 10) / 100;
  const y = (v: number) => T + (1 - (v - floor) / (1 - floor)) * (H - T - B);
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const g = floor + ((1 - floor) * k) / 4;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(g).toFixed(1)}" y2="${y(g).toFixed(1)}" stroke="#d1d9e0"/><text x="${L - 6}" y="${(y(g) + 4).toFixed(1)}" text-anchor="end">${+(g * 100).toFixed(1)}%</text>`);
  }
  // at most about eight labels, always the last one, never two on top of each other
  const every = Math.max(1, Math.ceil(n / 8));
  periods.forEach((p, i) => {
    const last = i === n - 1;
    if ((i % every === 0 && (last || n - 1 - i >= every / 2 || n < 3)) || last) {
      const anchor = n > 1 && i === 0 ? 'start' : n > 1 && last ? 'end' : 'middle';
      parts.push(`<text x="${x(i).toFixed(1)}" y="${H - B + 16}" text-anchor="${anchor}">${esc(p.period)}</text>`);
    }
  });
  // targets under the data: a dashed line in the metric's colour with its minimum in the right margin
  // (moved apart where two would touch); the legend names each
  let lastTagY = -Infinity;
  for (const t of [...targets.values()].sort((a, b) => b.min - a.min)) {
    const ty = y(t.min);
    const tagY = Math.max(ty + 4, lastTagY + 13);
    lastTagY = tagY;
    parts.push(`<line class="target-line" data-metric="${t.metric}" data-min="${t.min}" x1="${L}" x2="${W - R}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="${COLORS[t.metric]}" stroke-width="1.5" stroke-dasharray="6 4"><title>${esc(m.objectiveTip(t.labels.join(', ')))}</title></line>`);
    parts.push(`<text class="target-tag" x="${W - R + 4}" y="${tagY.toFixed(1)}" style="fill:${COLORS[t.metric]}">${esc(pct(t.min))}</text>`);
  }
  const series: [string, (p: PeriodRow) => number | null][] = [
    ['first_response', (p) => p.metrics.first_response.compliance],
    ['resolution', (p) => p.metrics.resolution.compliance],
    ['overall', (p) => p.overall.compliance],
  ];
  for (const [name, get] of series) {
    const pts = periods.map((p, i) => [i, get(p)] as const).filter(([, v]) => v !== null) as [number, number][];
    if (!pts.length) continue;
    const w = name === 'overall' ? 3 : 1.5;
    parts.push(`<polyline class="trend-line" data-series="${name}" fill="none" stroke="${COLORS[name]}" stroke-width="${w}" points="${pts.map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`);
    for (const [i, v] of pts) parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="${w + 1}" fill="${COLORS[name]}"><title>${esc(`${periods[i].period} ${m.series(name)}: ${pct(v)}`)}</title></circle>`);
  }
  const legend = Object.entries(COLORS).map(([k, c]) => `<span><i class="sw" style="background:${c}"></i>${esc(m.series(k))}</span>`);
  for (const t of targets.values()) {
    legend.push(`<span class="target-legend"><i class="sw" style="background:repeating-linear-gradient(90deg,${COLORS[t.metric]} 0 4px,transparent 4px 6px);height:3px"></i>${esc(t.labels.join(', '))}</span>`);
  }
  return `<div class="scroll"><svg id="trend" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(m.trendAria)}">${parts.join('')}</svg></div>
<div class="legend">${legend.join('')}</div>`;
}

/**
 * A category's name in lines no wider than `maxEm` (at most `maxLines`): words stay whole where
 * they fit, a longer word or a run of CJK is broken between characters, and what does not fit ends
 * in "…" (the full name is the label's tooltip).
 */
function wrapLabel(name: string, maxEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of name.split(/\s+/).filter(Boolean)) {
    const joined = line ? `${line} ${word}` : word;
    if (textWidthEm(joined) <= maxEm) line = joined;
    else if (line && textWidthEm(word) <= maxEm) {
      lines.push(line);
      line = word;
    } else {
      for (const ch of line ? ` ${word}` : word) {
        if (line && textWidthEm(line + ch) > maxEm) {
          lines.push(line);
          line = ch === ' ' ? '' : ch;
        } else line += ch;
      }
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1];
  while (last && textWidthEm(`${last}…`) > maxEm) last = [...last].slice(0, -1).join('');
  kept[maxLines - 1] = `${last}…`;
  return kept;
}

/**
 * Categories as bars (tickets) in Pareto order with the cumulative share as a line; every bar is
 * named under it in up to four lines. Each bar gets at least 84 units of width, so with many
 * categories the chart grows wider (and scrolls sideways on a phone) rather than its labels smaller.
 */
function paretoSvg(cats: AuditResult['categories'], m: Messages['html']): string {
  const shown = cats.slice(0, 12);
  const L = 40, R = 40, T = 12, B = 78, LINE = 14, FONT = 12;
  const slot = Math.max(84, (640 - L - R) / Math.max(1, shown.length));
  const W = Math.round(L + R + slot * Math.max(1, shown.length));
  const H = 300;
  const max = Math.max(1, ...shown.map((c) => c.tickets));
  const parts: string[] = [];
  shown.forEach((c, i) => {
    const h = (c.tickets / max) * (H - T - B);
    const x = L + i * slot;
    const cx = (x + slot / 2).toFixed(1);
    parts.push(`<rect class="pareto-bar" x="${(x + slot * 0.15).toFixed(1)}" y="${(H - B - h).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="#54aeff"><title>${esc(m.paretoTip(c.name, c.tickets, pct(c.share)))}</title></rect>`);
    parts.push(`<text x="${cx}" y="${H - B - h - 4}" text-anchor="middle">${c.tickets}</text>`);
    const lines = wrapLabel(c.name, (slot - 8) / FONT, 4);
    parts.push(`<text class="pareto-label" x="${cx}" y="${H - B + 16}" text-anchor="middle"><title>${esc(c.name)}</title>${lines.map((l, k) => `<tspan x="${cx}" dy="${k ? LINE : 0}">${esc(l)}</tspan>`).join('')}</text>`);
  });
  const yc = (v: number) => T + (1 - v) * (H - T - B);
  const pts = shown.map((c, i) => `${(L + i * slot + slot / 2).toFixed(1)},${yc(c.cumulative_share).toFixed(1)}`).join(' ');
  parts.push(`<polyline class="pareto-line" fill="none" stroke="#bf3989" stroke-width="2" points="${pts}"/>`);
  for (const g of [0, 0.5, 0.8, 1]) parts.push(`<text x="${W - R + 4}" y="${yc(g) + 4}">${g * 100}%</text>`);
  parts.push(`<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#59636e"/>`);
  // never drawn smaller than 85% of its own size: labels stay legible, a phone scrolls sideways
  return `<div class="scroll"><svg id="pareto" viewBox="0 0 ${W} ${H}" style="min-width:${Math.round(W * 0.85)}px;max-width:${Math.round(W * 1.25)}px" role="img" aria-label="${esc(m.paretoAria)}">${parts.join('')}</svg></div>`;
}

/** The page around a report: inline CSS, a policy that forbids scripts and network, the footer. */
export function page(title: string, body: string[], ctx: ReportContext): string {
  const m = messages(ctx.lang).html;
  return [
    `<!doctype html><html lang="${ctx.lang ?? 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${CSS}</style></head><body><main>`,
    ...body,
    `<p class="meta">${esc(m.footer(ctx.zone.formatShort(ctx.generatedAt ?? Date.now()), ctx.zone.name))}</p></main></body></html>\n`,
  ].join('\n');
}

/** An objective's row: its mark (✓ met, ✓ at risk, ✗ failed, – not judged), its name, its actual value in its standing's colour. */
function objectiveCells(o: ObjectiveResult, st: Standings): string[] {
  const kpi = o.kpi ?? (o.metric ? `${o.metric}.compliance` : '');
  const standing = objectiveStanding(o, st.margin, o.scorecard === undefined && kindOf(kpi, st.r.customKpis) === 'rate');
  const label = objectiveLabel(o, st.r.customKpis, st.t);
  const mark = standing === null ? '–' : standing === 'failed' ? '✗' : '✓';
  const actual = o.skipped ? st.t.notJudged(o.skipped) : objectiveActual(o, st.r.customKpis, st.t);
  return [raw(st.span(mark, standing, [label])), label, raw(st.span(actual, standing, [label]))];
}

/** A scorecard card: its title, its bars, its table (each group's score in its standing against the scorecard's objectives), its notes. */
export function scorecardSection(sc: ScorecardResult, card: ScoreCard, custom: readonly KpiDef[], st: Standings): string[] {
  // the card's words in the report's language, the KPIs left out named as its KPI table names them
  const words = { ...st.m, leftOutNote: (group: string, kpis: string[]) => st.m.leftOutNote(group, kpis.map((k) => st.t.term(k))) };
  const rows = card.rows.map((row) => {
    const scoreAt = 2 + row.indicators.length;
    const cells: string[] = cardCells(row, custom, words);
    if (row.scored) cells[scoreAt] = st.scoreCell(sc.name, row.composite, cells[scoreAt]);
    return cells;
  });
  const m = st.m;
  // each indicator as "KPI (weight)" (as the terminal's cardHead), the KPI named in the report's language
  const inds = (sc.cards[0]?.rows[0]?.indicators ?? []).map((i) => `${st.t.term(i.kpi)} (${i.weight})`);
  const title = m.scorecardTitle(sc.name, sc.by, card.period, sc.period !== null, sc.method === 'rsr');
  return [`<h2>${esc(title)}</h2>`, cardBars(sc, card, st, title), table([m.field(sc.by), m.tickets, ...inds, m.score, m.grade, m.rank], rows, [0]), ...cardNotes(card, words).map((n) => `<p class="meta">${esc(n)}</p>`)];
}

/**
 * A bar per scored group (its composite, 0-100, in its standing's colour against the scorecard's
 * objective) with a dashed line at each grade line. Drawn with boxes as wide as a share of their
 * track, not as a picture scaled to the page: at any width the bars keep their proportions and the
 * names their size (on a narrow screen a name wraps inside its column).
 */
function cardBars(sc: ScorecardResult, card: ScoreCard, st: Standings, title: string): string {
  const rows = card.rows.filter((r) => r.composite !== null);
  if (!rows.length) return '';
  const at = (v: number) => `${(Math.max(0, Math.min(100, v))).toFixed(2)}%`;
  const score = (v: number | null) => (v === null ? '–' : String(Math.round(v * 100) / 100));
  // grade names on up to three lines above the bars, so that lines close together (90, 95) do not print over each other
  const tagRows = Math.min(3, sc.grades.length);
  const lines = sc.grades.map((g, i) => `<span class="grade-line" style="left:${at(g.min)}"><span class="grade-tag" style="top:${((i % 3) * 1.2).toFixed(1)}em">${esc(`${g.name} ${g.min}`)}</span></span>`);
  const bars = rows.map((r) => {
    const standing = st.scoreStanding(sc.name, r.composite);
    const tip = `${r.key}: ${score(r.composite)}${r.grade ? ` (${r.grade})` : ''}`;
    return `<div class="bar-row"><span class="bar-label">${esc(r.key)}</span><span class="bar-track"><span class="score-bar" data-group="${esc(r.key)}"${standing ? ` data-standing="${standing}"` : ''} style="width:${at(r.composite!)}" title="${esc(tip)}"></span></span><span class="bar-value">${esc(score(r.composite))}</span></div>`;
  });
  return `<div class="bars scorecard" role="img" aria-label="${esc(title)}" style="padding-top:${(tagRows * 1.2 * 0.75 + 0.3).toFixed(2)}rem"><div class="grade-lines">${lines.join('')}</div>${bars.join('')}</div>`;
}

/** One self-contained page: inline CSS and SVG, no scripts, no network. */
export function htmlReport(r: AuditResult, ctx: ReportContext): string {
  const z = ctx.zone;
  const n = r.totals;
  const m = messages(ctx.lang).html;
  const failed = !r.passed;
  const s: string[] = [];
  const tally = objectiveTally(r);
  const st = new Standings(r, ctx, m);
  const t = st.t;
  const compared = r.baseline && !r.baseline.missing;
  const verdict = tally.failed ? m.verdictObjectives(tallyText(tally, t)) : failed ? m.verdictDropped : tally.total ? m.verdictObjectives(tallyText(tally, t)) : compared ? m.verdictHeld : m.verdictNone;
  s.push(`<h1>${esc(ctx.title ?? m.heading)} <span class="verdict ${failed ? 'fail' : tally.notJudged ? 'none' : tally.total || compared ? 'pass' : 'none'}">${esc(verdict)}</span></h1>`);
  s.push(`<p class="meta">${esc(m.meta({ tickets: n.evaluated, inputs: r.inputs.join(', '), asOf: z.formatShort(r.asOf), zone: z.name, rows: n.rows, problems: n.problems, withoutHistory: n.without_history ?? null }))}</p>`);
  s.push('<div class="cards">');
  for (const [label, c] of [['overall', r.overall], ...metricRows(r.metrics), ...olaRows(r.metrics)] as [string, Counts][]) {
    s.push(`<div class="card">${esc(metricLabel(label, t))}${st.span(complianceText(c, t), ...st.tipped(`${label}.compliance`), 'b')}${esc(m.cardCounts(c.met, c.breached, c.overdue))}</div>`);
  }
  s.push('</div>', st.legend());
  s.push(`<h2>${esc(m.kpis)}</h2>`, table([m.kpi, m.value, m.kpi, m.value], pairs(shownKpis(r).map((k) => [t.term(k), st.cell(k, kpiText(k, r.kpis[k] ?? null, r.customKpis))])), [0, 2]));
  if (r.objectives.length) {
    s.push(`<h2>${esc(m.objectives)}</h2>`, table(['', m.objective, m.actual, m.tickets], r.objectives.map((o) => [...objectiveCells(o, st), o.tickets]), [1], 'stack'));
  }
  for (const sc of r.scorecards) {
    for (const card of sc.cards) s.push(...scorecardSection(sc, card, r.customKpis, st));
  }
  s.push(...comparisons(r, st, m));
  if (r.periods.length) s.push(`<h2>${esc(m.trendTitle(r.periodKind))}</h2>`, trendSvg(r.periods, r.objectives, m, t));
  s.push(...details(r, ctx, st, m));
  return page(ctx.title ?? m.pageTitle(z.formatShort(r.asOf)), s, ctx);
}

/** Before and after --split, and against --baseline. */
function comparisons(r: AuditResult, st: Standings, m: Messages['html']): string[] {
  const s: string[] = [];
  const compare = (rows: { what: string; before: number | null; after: number | null; change: number | null; worse: boolean }[], h: [string, string]) =>
    table(['', h[0], h[1], m.change, ''], rows.map((x) => [st.t.term(x.what), kpiText(x.what, x.before, r.customKpis), kpiText(x.what, x.after, r.customKpis), signed(x.what, x.change, r.customKpis, st.t), x.worse ? m.worse : '']), [0]);
  if (r.split) s.push(`<h2>${esc(m.beforeAndAfter(r.split.at.slice(0, 16).replace('T', ' ')))}</h2>`, compare(r.split.rows, [m.before, m.after]));
  if (r.baseline?.missing) s.push(`<h2>${esc(m.againstBaseline(r.baseline.file))}</h2>`, `<p class="meta">${esc(m.noBaseline(r.baseline.file))}</p>`);
  else if (r.baseline) {
    s.push(`<h2>${esc(m.againstBaseline(r.baseline.file))}</h2>`, table([m.compliance, m.baseline, m.now, m.changePoints], r.baseline.rows.map((x) => [
      st.t.term(x.metric), pct(x.before), pct(x.after), raw(st.span(x.change_points === null ? '–' : String(x.change_points), x.failed ? 'failed' : null, ['--max-drop']))])));
    const known = r.baseline.kpis.filter((x) => x.before !== null || x.after !== null);
    if (known.length) s.push(`<h3>${esc(m.kpisAgainstBaseline)}</h3>`, compare(known, [m.baseline, m.now]));
  }
  return s;
}

/** Categories, hotspots, the breakdowns, escalation, credits and the worst breaches. */
function details(r: AuditResult, ctx: ReportContext, st: Standings, m: Messages['html']): string[] {
  const s: string[] = [];
  if (r.categories.length) {
    s.push(`<h2>${esc(m.categoriesTitle)}</h2>`, paretoSvg(r.categories, m), table(
      [m.category, m.tickets, m.share, m.cumulative, m.ticketsBreached, m.breachRate, m.medianResolution, m.p90, m.satisfaction, m.repeat],
      r.categories.map((k) => [k.name, k.tickets, pct(k.share), pct(k.cumulative_share), k.breached, pct(k.breach_rate),
        k.median_resolution_minutes === null ? '–' : duration(k.median_resolution_minutes * 60_000), k.p90_resolution_minutes === null ? '–' : duration(k.p90_resolution_minutes * 60_000),
        k.satisfaction ?? '–', k.repeat ?? '–']), [0]));
  }
  if (r.hotspots.channels.length) {
    s.push(`<h2>${esc(m.hotspots)}</h2>`, table([m.channel, m.tickets, m.ticketsBreached, m.breachRate], r.hotspots.channels.map((c) => [c.channel, c.tickets, c.breached, pct(c.breach_rate)]), [0]));
    const max = Math.max(1, ...r.hotspots.hours.flatMap((h) => h.counts));
    // shades of blue, not of the objectives' colours: a busy hour is no failed objective
    const cells = r.hotspots.hours.map((h) => [m.weekday(h.weekday), ...h.counts.map((n) => {
      const a = 0.1 + (0.8 * n) / max;
      return raw(n ? `<span class="heat-cell" style="background:rgba(9,105,218,${a.toFixed(2)})${a > 0.55 ? ';color:#fff' : ''}">${n}</span>` : '');
    })]);
    s.push(`<p class="meta">${esc(m.heatCaption)}</p>`, table(['', ...Array.from({ length: 24 }, (_, i) => String(i))], cells, [], 'heat'));
  }
  for (const [field, rows] of Object.entries(r.groups)) {
    if (!rows.length) continue;
    s.push(`<h2>${esc(m.byField(m.field(field)))}</h2>`, table([m.field(field), m.tickets, m.firstResponse, m.resolution, m.overall, m.ticketsBreached, m.ticketsOverdue],
      rows.map((g) => {
        // the tickets each compliance was judged on (met + breached + overdue), to tell the row from an objective over several spellings
        const scope = (c: Counts) => ({ field, value: g.key, tickets: c.met + c.breached + c.overdue });
        return [g.key, g.tickets, st.cell('first_response.compliance', complianceText(g.metrics.first_response, st.t), scope(g.metrics.first_response)), st.cell('resolution.compliance', complianceText(g.metrics.resolution, st.t), scope(g.metrics.resolution)), st.cell('overall.compliance', complianceText(g.overall, st.t), scope(g.overall)), g.tickets_breached, g.tickets_overdue];
      })));
  }
  if (r.ladders && r.escalation.levels.length) {
    const e = escalationTable(r.escalation, r.periodKind, st.t);
    s.push(`<h2>${esc(m.escalationTitle(r.periodKind))}</h2>`, table(e.head, e.rows, [0]));
  }
  if (r.credits) s.push(`<h2>${esc(creditsTitle(r.credits, st.t))}</h2>`, table([...st.t.creditHead], r.credits.periods.map((p) => creditCells(p, r.credits!, st.t)), [0, st.t.creditHead.length - 1]));
  if (r.breaches.length) {
    s.push(`<h2>${esc(m.worstTitle)}</h2>`, table([m.ticket, m.metric, m.status, m.policy, m.target, m.elapsed, m.share, m.overBy, m.due],
      r.breaches.slice(0, 25).map((b) => [b.id, metricLabel(b.metric, st.t), m.breachStatus(b.status), b.policy, ...targetAndElapsed(b), shareText(b.elapsedMs, b.targetMs, st.t), overText(b.elapsedMs - b.targetMs), when(ctx.zone, b.due)])));
  }
  return s;
}
