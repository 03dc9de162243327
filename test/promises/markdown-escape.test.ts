/** Ticket and config text in the Markdown report stays text: no link, autolink, emphasis or heading markup takes effect. */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';
import { mdInline } from '../../src/report/markdown.js';

describe('markdown escaping', () => {
  test.each([
    ['[click](http://evil.example)', '\\[click\\](http\\://evil.example)'],
    ['www.evil.example', 'www\\.evil.example'],
    ['mail a@b.example', 'mail a\\@b.example'],
    ['**bold** _it_ ~~s~~ `code`', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\`'],
    ['<img src=x onerror=alert(1)> &amp;', '&lt;img src=x onerror=alert(1)&gt; &amp;amp;'],
    ['a | b \\ c', 'a \\| b \\\\ c'],
    ['first_response', 'first_response'],
    ['title #', 'title \\#'],
    ['two\nlines', 'two lines'],
  ])('%s', (text, escaped) => {
    expect(mdInline(text)).toBe(escaped);
  });

  test('a scorecard named with link syntax and teams that are links: headings and cells escaped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-md-'));
    writeFileSync(join(dir, 'sla.yaml'), `timezone: UTC
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, team: team }
policies:
  - name: All
    targets: { resolution: 8h }
scorecards:
  "[pay](http://evil.example)":
    by: team
    indicators:
      - { kpi: resolution.compliance, weight: 1, target: 95% }
`);
    writeFileSync(join(dir, 't.csv'), 'id,created,resolved,team\nA,2026-05-04 09:00,2026-05-04 10:00,[x](https://evil.example)\nB,2026-05-04 09:00,2026-05-04 10:00,www.evil.example\n');
    const r = await cli(['check', 't.csv', '--as-of', '2026-06-01', '-f', 'markdown', '--group-by', 'team'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('### Scorecard \\[pay\\](http\\://evil.example) by team (weighted)');
    expect(r.stdout).toContain('| \\[x\\](https\\://evil.example) |');
    expect(r.stdout).toContain('| www\\.evil.example |');
    // nothing left that GitHub would render as a link
    expect(r.stdout).not.toMatch(/[^\\]\]\(|[^\\]https?:\/\/|(^|[^\\])www\./m);
  });
});
