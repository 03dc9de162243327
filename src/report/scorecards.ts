/**
 * Scorecards as reports: for each card a row per group — each indicator's actual value and points,
 * then composite, grade and rank — as rows for tables (terminal, Markdown, HTML) and as a long CSV
 * (the HTML report draws its bars itself).
 */
import type { KpiDef } from '../config/kpis.js';
import type { ScoreCard, ScoreRow, ScorecardResult } from '../engine/result.js';
import { csvCell } from './csv.js';
import { kpiText, labels, type Common } from './format.js';

const EN = labels('en');

const round2 = (v: number | null) => (v === null ? '–' : String(Math.round(v * 100) / 100));

export function cardTitle(sc: ScorecardResult, card: ScoreCard, t: Common = EN): string {
  return t.cardTitle(sc.name, sc.by, card.period ?? null, !!sc.period, sc.method === 'rsr');
}

/** Column headings: group, tickets, "kpi (w)" per indicator, composite, grade, rank. */
export function cardHead(sc: ScorecardResult, t: Common = EN): string[] {
  const first = sc.cards[0]?.rows[0];
  const inds = first ? first.indicators.map((i) => `${t.term(i.kpi)} (${i.weight})`) : [];
  const [tickets, score, grade, rank] = t.cardHead;
  return [t.field(sc.by), tickets, ...inds, score, grade, rank];
}

/** The words of a card's cells and notes (English unless a report's language gives its own). */
interface CardWords {
  leftOut: string;
  notScored: string;
  notScoredNote: (group: string, reason: string) => string;
  leftOutNote: (group: string, kpis: string[]) => string;
}

const EN_WORDS: CardWords = {
  leftOut: 'left out',
  notScored: 'not scored',
  notScoredNote: (group, reason) => `${group}: not scored, ${reason}`,
  leftOutNote: (group, kpis) => `${group}: ${kpis.join(', ')} left out (no data), with ${kpis.length === 1 ? 'its weight' : 'their weights'}`,
};

/** One row's cells: an indicator reads "actual → points". */
export function cardCells(row: ScoreRow, custom: readonly KpiDef[], w: CardWords = EN_WORDS): string[] {
  const inds = row.indicators.map((i) => (row.scored ? `${kpiText(i.kpi, i.actual, custom)} → ${i.points === null ? w.leftOut : Math.round(i.points * 10) / 10}` : kpiText(i.kpi, i.actual, custom)));
  return [row.key, String(row.tickets), ...inds, row.scored ? round2(row.composite) : '–', row.scored ? row.grade ?? '–' : w.notScored, row.rank === null ? '–' : String(row.rank)];
}

/** Lines under a card: why a group is not scored, which indicators were left out for lack of data. */
export function cardNotes(card: ScoreCard, w: CardWords = EN_WORDS): string[] {
  return card.rows.flatMap((r) => [
    ...(r.scored ? [] : [w.notScoredNote(r.key, r.reason ?? '')]),
    ...(r.left_out.length ? [w.leftOutNote(r.key, r.left_out)] : []),
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
