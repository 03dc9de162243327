import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (seconds of one worker on an idle 2-core machine, from a whole
 * `npm test`), longest first. Two workers share the files as each becomes free, so the long files
 * start first and the short ones fill in at the end: both workers finish together. Vitest orders
 * by the durations it cached from the last run where it has them, and by file size on a clean
 * clone (no cache), which would leave a long file for the end; this list is that order for a
 * clean clone, and the rest follows vitest's own.
 */
const LONGEST = [
  'test/sql/random-parity.test.ts',
  'test/duckdb/engine-parity.test.ts',
  'test/input/parallel-parts.test.ts',
  'test/duckdb/other-inputs.test.ts',
  'test/sql/report-parity.test.ts',
  'test/sql/kpi-parity.test.ts',
  'test/sql/fixtures-parity.test.ts',
  'test/cli/readme.test.ts',
  'test/input/xlsx-input.test.ts',
  'test/cli/install.test.ts',
  'test/cli/check.test.ts',
  'test/input/parts.test.ts',
  'test/sql/report-from-checks.test.ts',
  'test/targets/reports-and-sql.test.ts',
  'test/reports/workbook.test.ts',
  'test/engine/merge-state.test.ts',
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST.indexOf(relative(this.ctx.config.root, f.moduleId).replaceAll('\\', '/'));
      return i < 0 ? LONGEST.length : i;
    };
    // each project's files stay together, in vitest's order of projects; within one, the listed
    // files first in the list's order, the rest in vitest's (a stable sort)
    const projects = [...new Set(sorted.map((f) => f.project.name))];
    const project = (f: TestSpecification) => projects.indexOf(f.project.name);
    return sorted.map((f, i) => [f, i] as const)
      .sort((a, b) => project(a[0]) - project(b[0]) || rank(a[0]) - rank(b[0]) || a[1] - b[1])
      .map(([f]) => f);
  }
}
