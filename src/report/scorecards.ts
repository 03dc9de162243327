/**
 * Scorecards as reports: for each card a row per group — each indicator's actual value and points,
 * then composite, grade and rank — as rows for tables (terminal, Markdown, HTML), as a long CSV, and
 * as an SVG bar per group with the grade lines.
 */
import type { KpiDef } from '../config/kpis.js';
import type { ScoreCard, ScoreRow, ScorecardResult } from '../engine/result.js';
import { csvCell } from './csv.js';
import { escapeXml as esc } from './escape.js';
import { kpiText } from './format.js';

const round2 = (v: number | null) => (v === null ? '–' : String(Math.round(v * 100) / 100));

export function cardTitle(sc: ScorecardResult, card: ScoreCard): string {
  return `Scorecard ${sc.name} by ${sc.by}${card.period ? `, ${card.period}` : sc.period ? ', all periods' : ''} (${sc.method === 'rsr' ? 'rank-sum ratio' : 'weighted'})`;
}

/** Column headings: group, tickets, "kpi (w)" per indicator, composite, grade, rank. */
export function cardHead(sc: ScorecardResult): string[] {
  const first = sc.cards[0]?.rows[0];
  const inds = first ? first.indicators.map((i) => `${i.kpi} (${i.weight})`) : [];
  return [sc.by, 'tickets', ...inds, 'score', 'grade', 'rank'];
}

/** One row's cells: an indicator reads "actual → points". */
export function cardCells(row: ScoreRow, custom: readonly KpiDef[]): string[] {
  const inds = row.indicators.map((i) => (row.scored ? `${kpiText(i.kpi, i.actual, custom)} → ${i.points === null ? 'left out' : Math.round(i.points * 10) / 10}` : kpiText(i.kpi, i.actual, custom)));
  return [row.key, String(row.tickets), ...inds, row.scored ? round2(row.composite) : '–', row.scored ? row.grade ?? '–' : 'not scored', row.rank === null ? '–' : String(row.rank)];
}

/** Lines under a card: why a group is not scored, which indicators were left out for lack of data. */
export function cardNotes(card: ScoreCard): string[] {
  return card.rows.flatMap((r) => [
    ...(r.scored ? [] : [`${r.key}: not scored, ${r.reason}`]),
    ...(r.left_out.length ? [`${r.key}: ${r.left_out.join(', ')} left out (no data), with ${r.left_out.length === 1 ? 'its weight' : 'their weights'}`] : []),
  ]);
}

const SCORECARD_CSV_HEADER = 'scorecard,period,group,tickets,scored,score,grade,rank,indicator_group,kpi,weight,target,worst,actual,points';

/** A long CSV: a row per scorecard, period, group and indicator (pivot-ready). */
export function scorecardCsv(all: ScorecardResult[]): string {
  const lines = [SCORECARD_CSV_HEADER];
  const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(Math.round(v * 10000) / 10000));
  for (const sc of all) {
    for (const card of sc.cards) {
      for (const row of card.rows) {
        for (const i of row.indicators) {
          lines.push([
            csvCell(sc.name), card.period ?? 'all', csvCell(row.key), row.tickets, row.scored, num(row.composite), csvCell(row.grade ?? ''), row.rank ?? '',
            csvCell(i.group ?? ''), i.kpi, i.weight, num(i.target), num(i.worst), num(i.actual), num(i.points),
          ].join(','));
        }
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** A horizontal bar per scored group (its composite, 0-100) with a dashed line at each grade line. */
export function cardSvg(sc: ScorecardResult, card: ScoreCard): string {
  const rows = card.rows.filter((r) => r.composite !== null);
  if (!rows.length) return '';
  const W = 640, L = 150, R = 40, BAR = 22, GAP = 8, T = 32;
  const H = T + rows.length * (BAR + GAP) + 10;
  const x = (v: number) => L + (Math.max(0, Math.min(100, v)) / 100) * (W - L - R);
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const y = T + i * (BAR + GAP);
    const label = r.key.length > 22 ? `${r.key.slice(0, 21)}…` : r.key;
    parts.push(`<text x="${L - 6}" y="${y + BAR / 2 + 4}" text-anchor="end"><title>${esc(r.key)}</title>${esc(label)}</text>`);
    parts.push(`<rect class="score-bar" data-group="${esc(r.key)}" x="${L}" y="${y}" width="${(x(r.composite!) - L).toFixed(1)}" height="${BAR}" fill="#54aeff"><title>${esc(`${r.key}: ${round2(r.composite)}${r.grade ? ` (${r.grade})` : ''}`)}</title></rect>`);
    parts.push(`<text x="${(x(r.composite!) + 4).toFixed(1)}" y="${y + BAR / 2 + 4}">${esc(round2(r.composite))}</text>`);
  });
  // labels on two rows, so that lines close together (90, 95) do not print over each other
  sc.grades.forEach((g, i) => {
    parts.push(`<line class="grade-line" x1="${x(g.min).toFixed(1)}" x2="${x(g.min).toFixed(1)}" y1="${T - 6}" y2="${H - 6}" stroke="#cf222e" stroke-dasharray="4 3"/><text x="${x(g.min).toFixed(1)}" y="${i % 2 ? 24 : 12}" text-anchor="middle">${esc(`${g.name} ${g.min}`)}</text>`);
  });
  return `<svg class="scorecard" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(cardTitle(sc, card))}">${parts.join('')}</svg>`;
}
