import type { RowProblem } from '../model/ticket.js';
import { safeText } from './escape.js';

/** "tickets.csv row 17, column "Created": ..." — one line per problem, for stderr. */
function formatProblem(p: RowProblem): string {
  const where = `${p.file} row ${p.row}${p.line !== undefined && p.line !== p.row ? ` (line ${p.line})` : ''}`;
  // one line each: a line break from a cell is shown as \n, so no cell prints a line of its own; a
  // tab as \t, as other control characters are (a raw one would shift the terminal's columns)
  return safeText(`${where}${p.column ? `, column "${p.column}"` : ''}: ${p.message}`).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** The first problems as lines for stderr, how many more there are, and how many rows they left out. */
export function problemLines(problems: RowProblem[], total: number, dropped: number, limit: number): string[] {
  const lines = problems.slice(0, limit).map(formatProblem);
  const more = problems.length - lines.length + dropped;
  if (more > 0) {
    lines.push(`… and ${more} more problem${more === 1 ? '' : 's'} (-o report.json lists ${dropped ? `the first ${problems.length.toLocaleString('en-US')}` : 'them all'})`);
  }
  if (total) lines.push(`${total} row${total === 1 ? '' : 's'} left out of the counts because of problems (--strict makes this exit 2)`);
  return lines;
}
