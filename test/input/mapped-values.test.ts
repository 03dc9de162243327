import { expect, test } from 'vitest';
import { auditText } from '../helpers/index.js';
import { InputError } from '../../src/errors.js';

const YAML = `timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, channel: channel, team: team, category: category }
  null_values: ["", "?", "N/A"]
policies:
  - name: Phone
    when: { channel: Phone }
    targets: { first_response: 1h }
  - name: Other
    targets: { first_response: 2h }
categories: { default: Uncategorised }
`;

test('null_values apply to every mapped column: team, channel and category included', async () => {
  const csv = 'id,created,replied,channel,team,category\nA,2026-05-01 09:00,,?,?,?\nB,2026-05-01 09:00,,Phone,N/A,Billing\n';
  const r = await auditText(YAML, csv, '2026-05-01T12:00', { groupBy: ['team', 'channel'] });
  // "?" and "N/A" are empty cells: no "?" team, channel or category
  expect(r.groups.team.map((g) => g.key)).toEqual(['(none)']);
  expect(r.groups.channel.map((g) => `${g.key} ${g.tickets}`)).toEqual(['(none) 1', 'Phone 1']);
  expect(r.categories.map((c) => `${c.name} ${c.tickets}`)).toEqual(['Billing 1', 'Uncategorised 1']);
  expect(r.hotspots.channels.map((c) => c.channel).sort()).toEqual(['(none)', 'Phone']);
});

test('a null value with white space at either end is still null, whichever space (tab, no-break, ideographic) and whichever end', async () => {
  // each of these cells is "?" or "N/A" once trimmed as String.prototype.trim trims: all null, so no "?" or "N/A" group
  const cells = ['?\u00a0', '\u00a0?', '\u3000N/A', 'N/A\t', '\tN/A\u3000', ' ?\u00a0', '\u2003?', '?\ufeff'];
  const csv = 'id,created,replied,channel,team,category\n' + cells.map((c, i) => `T${i},2026-05-01 09:00,,Phone,${c},Billing`).join('\n') + '\n';
  const r = await auditText(YAML, csv, '2026-05-01T12:00', { groupBy: ['team'] });
  expect(r.groups.team.map((g) => `${g.key} ${g.tickets}`)).toEqual([`(none) ${cells.length}`]);
  // a cell of only such spaces is empty
  const blank = await auditText(YAML, 'id,created,replied,channel,team,category\nA,2026-05-01 09:00,,Phone,\u00a0\u3000,Billing\n', '2026-05-01T12:00', { groupBy: ['team'] });
  expect(blank.groups.team.map((g) => g.key)).toEqual(['(none)']);
});

test('a header used by a mapping that names two columns is refused, naming both', async () => {
  const csv = 'id,created,replied,channel,team,category,Team\nA,2026-05-01 09:00,,Phone,x,y,z\n';
  const p = auditText(YAML, csv, '2026-05-01T12:00');
  await expect(p).rejects.toThrow(InputError);
  await expect(p).rejects.toThrow('(stdin): columns 5 and 7 are all named "team", and tickets.columns.team uses that name; rename the columns in the export so that each name is used once');
  // a repeated header nobody uses is fine
  const ok = await auditText(YAML, 'id,created,replied,channel,team,category,notes,notes\nA,2026-05-01 09:00,,Phone,x,y,1,2\n', '2026-05-01T12:00');
  expect(ok.totals.evaluated).toBe(1);
  // nor may --group-by or a policy's when use a repeated raw header
  const raw = auditText(YAML, 'id,created,replied,channel,team,category,Region,region\nA,2026-05-01 09:00,,Phone,x,y,1,2\n', '2026-05-01T12:00', { groupBy: ['Region'] });
  await expect(raw).rejects.toThrow('columns 7 and 8 are all named "Region", and "Region" (a policy\'s when, --group-by or categories.field) uses that name');
});
