import type { AuditResult } from '../engine/result.js';
import { objectiveFailure, objectiveLabel, pct } from './format.js';
import { escapeXml as esc } from './escape.js';
import type { ReportContext } from './json.js';

/** JUnit XML: one test case per objective (and per baseline comparison), so CI shows a failed objective as a failed test. */
export function junitReport(r: AuditResult, ctx: ReportContext): string {
  const stamp = new Date(ctx.generatedAt ?? Date.now()).toISOString().slice(0, 19);
  const suites: string[] = [];
  const cases = r.objectives.map((o) => {
    const name = esc(objectiveLabel(o, r.customKpis));
    if (o.skipped) return `    <testcase classname="sla-audit.objectives" name="${name}"><skipped message="${esc(o.skipped)}"/></testcase>`;
    if (o.passed) return `    <testcase classname="sla-audit.objectives" name="${name}"/>`;
    const msg = objectiveFailure(o, r.customKpis);
    return `    <testcase classname="sla-audit.objectives" name="${name}"><failure message="${esc(msg)}" type="objective">${esc(msg)}</failure></testcase>`;
  });
  const fails = r.objectives.filter((o) => !o.passed).length;
  const skipped = r.objectives.filter((o) => o.skipped).length;
  suites.push(`  <testsuite name="objectives" tests="${cases.length}" failures="${fails}" errors="0" skipped="${skipped}" timestamp="${stamp}">\n${cases.join('\n')}\n  </testsuite>`);
  let total = cases.length, failures = fails;
  if (r.baseline?.missing) {
    const msg = esc(`no baseline yet: ${r.baseline.file} does not exist, so nothing is compared on this run (--baseline-optional)`);
    suites.push(`  <testsuite name="baseline" tests="1" failures="0" errors="0" skipped="1" timestamp="${stamp}">\n    <testcase classname="sla-audit.baseline" name="compared with the baseline"><skipped message="${msg}"/></testcase>\n  </testsuite>`);
    total += 1;
  } else if (r.baseline) {
    const b = r.baseline;
    const bc = b.rows.map((x) => {
      const name = esc(`${x.metric} no more than ${b.max_drop ?? '∞'} points below baseline`);
      if (!x.failed) return `    <testcase classname="sla-audit.baseline" name="${name}"/>`;
      const msg = `${x.metric} fell from ${pct(x.before)} to ${pct(x.after)} (${x.change_points} points; allowed -${b.max_drop})`;
      return `    <testcase classname="sla-audit.baseline" name="${name}"><failure message="${esc(msg)}" type="baseline">${esc(msg)}</failure></testcase>`;
    });
    const bf = b.rows.filter((x) => x.failed).length;
    suites.push(`  <testsuite name="baseline" tests="${bc.length}" failures="${bf}" errors="0" skipped="0" timestamp="${stamp}">\n${bc.join('\n')}\n  </testsuite>`);
    total += bc.length;
    failures += bf;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sla-audit" tests="${total}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
