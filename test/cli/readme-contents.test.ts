import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run.js';

// README opens with a contents line linking every `##` section: a section added without its link,
// or renamed without it, fails here with the link to add.

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped (hyphens and underscores kept), spaces as hyphens. */
const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\-_ ]/gu, '').replace(/ /g, '-');

test('the contents line links every ## section, in order, by its anchor', () => {
  const headings: string[] = [];
  let fenced = false;
  for (const line of readme.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    else if (!fenced && line.startsWith('## ')) headings.push(line.slice(3));
  }
  const contents = readme.split('\n').find((l) => l.startsWith('**Contents:** '));
  expect(contents, 'README has no "**Contents:** " line').toBeDefined();
  const links = [...contents!.matchAll(/\[([^\]]+)\]\(#([^)]+)\)/g)].map((m) => `[${m[1]}](#${m[2]})`);
  expect(links).toEqual(headings.map((h) => `[${h.replace(/`/g, '')}](#${anchor(h)})`));
  expect(headings[0]).toBe('Start here');
});
