/** The scorecard command's report: every configured scorecard's cards, in table, json, csv, markdown or html. */
import type { AuditResult } from '../engine/result.js';
import { escapeXml as esc, safeJson, safeText } from './escape.js';
import { page, scorecardSection, Standings } from './html.js';
import type { ReportContext } from './json.js';
import type { PageFormat } from './formats.js';
import { mdInline, mdTable } from './markdown.js';
import { cardCells, cardHead, cardNotes, cardTitle, scorecardCsv } from './scorecards.js';
import { table } from './table.js';
import { labels } from './format.js';

export function scorecardReport(r: AuditResult, fmt: PageFormat, ctx: ReportContext): string {
  const scored = r.objectives.filter((o) => o.scorecard !== undefined);
  const m = labels(ctx.lang);
  // report.title on top of the pages for people
  const title = ctx.title ? safeText(ctx.title) : undefined;
  switch (fmt) {
    case 'csv':
      return scorecardCsv(r.scorecards);
    case 'json':
      return safeJson(JSON.stringify({ schemaVersion: 1, generatedAt: new Date(ctx.generatedAt ?? Date.now()).toISOString(), asOf: ctx.zone.format(r.asOf), config: r.configFile, inputs: r.inputs, scorecards: r.scorecards, objectives: scored }, null, 2) + '\n');
    case 'markdown':
      return [...(title ? [`# ${mdInline(title)}`, ''] : []), ...r.scorecards.flatMap((sc) => sc.cards.flatMap((card) => {
        const head = cardHead(sc, m).map(safeText);
        const notes = cardNotes(card, m).map(safeText);
        return [`### ${mdInline(safeText(cardTitle(sc, card, m)))}`, '', mdTable(head, card.rows.map((row) => cardCells(row, r.customKpis, m).map(safeText)), head.map((_, i) => i > 0)), '', ...notes.map((n) => `- ${mdInline(n)}`), ...(notes.length ? [''] : [])];
      }))].join('\n');
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
        const head = cardHead(sc, m).map(safeText);
        const t = table(head, ctx.color, ['left', ...head.slice(1).map(() => 'right' as const)]);
        for (const row of card.rows) t.push(cardCells(row, r.customKpis, m).map(safeText));
        const lines = sc.grades.length ? [m.gradeLines(sc.grades.map((g) => `${g.name} ≥ ${g.min}`).join(' · '), sc.below)] : [];
        return [safeText(cardTitle(sc, card, m)), t.toString(), ...cardNotes(card, m).map(safeText), ...lines.map(safeText), ''];
      }));
      return (title ? `${title}\n\n` : '') + out.join('\n') + '\n';
    }
  }
}
