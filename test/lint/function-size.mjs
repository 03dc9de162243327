// npm run lint: no function in src/ is longer than 120 lines (the stages issue's rule, so no
// second 392-line audit() grows back). Counts each function, method, arrow and accessor from its
// first to its last line with TypeScript's parser; a nested function counts within its parent too.
import ts from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIMIT = 120;
const root = fileURLToPath(new URL('../../', import.meta.url));
const files = readdirSync(join(root, 'src'), { recursive: true }).filter((f) => /\.(ts|mjs)$/.test(f)).map((f) => join(root, 'src', f));
const long = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      const name = node.name?.getText(sf) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : '(anonymous)');
      if (lines > LIMIT) long.push(`${relative(root, file)}:${first + 1} ${name}: ${lines} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
if (long.length) {
  console.error(`functions longer than ${LIMIT} lines (split them into steps):\n  ${long.join('\n  ')}`);
  process.exit(1);
}
console.log(`✔ no function in src/ is longer than ${LIMIT} lines (${files.length} files)`);
