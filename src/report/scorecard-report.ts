/** The scorecard command's report: every configured scorecard's cards, in table, json, csv, markdown or html. */
import type { AuditResult } from '../engine/result.js';
import { escapeXml as esc, safeJson, safeText } from './escape.js';
import { page, scorecardSection, Standings } from './html.js';
import type { ReportContext } from './json.js';
import type { PageFormat } from './formats.js';
import { mdInline, mdTable } from './markdown.js';
import { cardCells, cardHead, cardNotes, cardTitle, scorecardCsv } from './scorecards.js';
import { table } from './table.js';

export function scorecardReport(r: AuditResult, fmt: PageFormat, ctx: ReportContext): string {
  const scored = r.objectives.filter((o) => o.scorecard !== undefined);
  switch (fmt) {
    case 'csv':
      return scorecardCsv(r.scorecards);
    case 'json':
      return safeJson(JSON.stringify({ schemaVersion: 1, generatedAt: new Date(ctx.generatedAt ?? Date.now()).toISOString(), asOf: ctx.zone.format(r.asOf), config: r.configFile, inputs: r.inputs, scorecards: r.scorecards, objectives: scored }, null, 2) + '\n');
    case 'markdown':
      return r.scorecards.flatMap((sc) => sc.cards.flatMap((card) => [`### ${mdInline(safeText(cardTitle(sc, card)))}`, '', mdTable(cardHead(sc).map(safeText), card.rows.map((row) => cardCells(row, r.customKpis).map(safeText)), cardHead(sc).map((_, i) => i > 0)), '', ...cardNotes(card).map((n) => `- ${mdInline(safeText(n))}`), ...(cardNotes(card).length ? [''] : [])])).join('\n');
    case 'html': {
      const st = new Standings(r, ctx);
      const asOf = ctx.zone.formatShort(r.asOf);
      return page(ctx.title ?? st.m.scorecardsPageTitle(asOf), [
        `<h1>${esc(ctx.title ?? st.m.scorecardsHeading)}</h1>`,
        `<p class="meta">${esc(st.m.scorecardsMeta(r.totals.evaluated, r.inputs.join(', '), asOf, ctx.zone.name))}</p>`,
        ...(scored.length ? [st.legend()] : []),
        ...r.scorecards.flatMap((sc) => sc.cards.flatMap((card) => scorecardSection(sc, card, r.customKpis, st))),
      ], ctx);
    }
    default: {
      const out = r.scorecards.flatMap((sc) => sc.cards.flatMap((card) => {
        const t = table(cardHead(sc).map(safeText), ctx.color, ['left', ...cardHead(sc).slice(1).map(() => 'right' as const)]);
        for (const row of card.rows) t.push(cardCells(row, r.customKpis).map(safeText));
        const lines = sc.grades.length ? [`grades: ${sc.grades.map((g) => `${g.name} ≥ ${g.min}`).join(' · ')} · below: ${sc.below}`] : [];
        return [safeText(cardTitle(sc, card)), t.toString(), ...cardNotes(card).map(safeText), ...lines.map(safeText), ''];
      }));
      return out.join('\n') + '\n';
    }
  }
}
