// The engine per byte range (src/parallel): a file cut into parts, each read, evaluated and
// aggregated on its own worker thread, must give exactly the reports of one thread. Every case runs
// the built CLI twice on the same files, with SLA_AUDIT_PARALLEL=1 (one thread, the reference) and
// with N parts (internal: N worker threads whatever the file's size), and compares the JSON report
// (generatedAt blanked), the Markdown report, the repeat-customer CSV, standard error and the exit
// code byte for byte. SLA_AUDIT_PARALLEL_TRACE (internal) says where each file was cut, so a case
// also checks it really ran in parts. Nothing here is timed.
import { afterAll, describe, expect, test } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitFile } from '../../src/input/parts.js';

const dir = mkdtempSync(join(tmpdir(), 'sla-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  md: string;
  repeats: string;
  /** where the files were cut, as the run said (SLA_AUDIT_PARALLEL_TRACE) */
  cuts: string[];
  /** what the run left in its temporary folder (TMPDIR: its own, empty at the start) */
  leftovers: string[];
}

function cli(args: string[], parts: number, env: Record<string, string> = {}): Run {
  const out = join(dir, `run${runs++}`);
  const trace = `${out}.trace`;
  const tmp = `${out}.tmp`;
  mkdirSync(tmp);
  const r = spawnSync(process.execPath, ['bin/sla-audit.js', ...args, '-o', `${out}.md`, '-o', `${out}-repeats.csv`], {
    encoding: 'utf8', maxBuffer: 1 << 26,
    env: { ...process.env, SLA_AUDIT_PARALLEL: String(parts), SLA_AUDIT_PARALLEL_TRACE: trace, SLA_AUDIT_PARTS: '', TMPDIR: tmp, ...env },
  });
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '(none)');
  return {
    status: r.status, stdout: r.stdout.replace(/"generatedAt": "[^"]*"/, '"generatedAt": ""'), stderr: r.stderr.replaceAll(out, 'OUT'),
    md: read(`${out}.md`), repeats: read(`${out}-repeats.csv`), cuts: existsSync(trace) ? readFileSync(trace, 'utf8').trim().split('\n') : [],
    leftovers: readdirSync(tmp),
  };
}

/** The run in `parts` parts gives what one thread gives (`one`: that run, when a case already has it); returns both. */
function same(args: string[], parts: number, one: Run = cli(args, 1)): { one: Run; many: Run } {
  const many = cli(args, parts);
  expect(many.stderr).toBe(one.stderr);
  expect(many.status).toBe(one.status);
  expect(many.stdout).toBe(one.stdout);
  expect(many.md).toBe(one.md);
  expect(many.repeats).toBe(one.repeats);
  expect(one.cuts).toEqual([]);
  // the parts' sorted key runs (files) are merged and removed, their folders too
  expect(many.leftovers).toEqual([]);
  expect(one.leftovers).toEqual([]);
  return { one, many };
}

/** GBK bytes of a text, from the decoder's own table read backwards. */
function gbk(text: string): Buffer {
  const table = new Map<string, number>();
  const dec = new TextDecoder('gbk');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = dec.decode(Uint8Array.of(lead, trail));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, (lead << 8) | trail);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) out.push(c);
    else out.push(table.get(ch)! >> 8, table.get(ch)! & 0xff);
  }
  return Buffer.from(out);
}

const cutsOf = (path: string, count: number, encoding = 'utf-8', bom = 0) => splitFile(path, { count, minBytes: 0, encoding, delimiter: ',', bom });

describe('a file read and evaluated in parts on worker threads gives the reports of one thread', () => {
  // the bench's real-shaped export (distinct rows, Chinese text, 50,000 customers of whom a few have
  // many tickets), 4,000 rows, edited in place so that the cuts stay where they were: a ragged row
  // right at the first cut, a row in the second part whose id comes again in the fourth (the later
  // row wins, across parts), a bad timestamp and a quoted line break right at the third cut
  test.each(['utf-8', 'gbk'] as const)('real-shaped %s file in 4 parts: duplicates across parts, problems at the cuts', (encoding) => {
    const path = join(dir, `real-${encoding}.csv`);
    execFileSync(process.execPath, ['test/bench/generate-real.mjs', '4000', path, encoding]);
    const bytes = readFileSync(path);
    const enc = encoding === 'gbk' ? 'gb18030' : 'utf-8';
    const split = cutsOf(path, 4, enc);
    expect(split.parts).toHaveLength(4);
    const lineEnd = (at: number) => bytes.indexOf(0x0a, at);
    const idAt = (at: number) => bytes.subarray(at, bytes.indexOf(0x2c, at)).toString('latin1');
    // rows in place of as many whole lines from `at` as they need, the last padded with spaces
    const put = (at: number, ...rows: string[]) => {
      const b = encoding === 'gbk' ? gbk(rows.join('\n')) : Buffer.from(rows.join('\n'));
      let end = lineEnd(at);
      while (end - at < b.length) end = lineEnd(end + 1);
      Buffer.concat([b, Buffer.alloc(end - at - b.length, 0x20)]).copy(bytes, at);
    };
    const [c1, c2, c3] = [split.parts[1].start, split.parts[2].start, split.parts[3].start];
    const inSecond = lineEnd(c1 + 400) + 1;
    const replacedId = idAt(inSecond);
    put(c1, 'GD-ragged,2025-05-01 09:00:00');
    put(c2, 'GD-bad-time,2025-13-45 09:00:00,,,紧急,已解决,电话,,一线客服,王伟,KH000001,x,VIP,"two\nlines",,');
    put(lineEnd(c3 + 2000) + 1, `${replacedId},2026-04-01 10:00:00,2026-04-03 10:00:00,,低,处理中,邮件,,财务组,张伟,KH000003,x,普通,"a ""quoted""\nsubject",,`);
    const edited = join(dir, `real-${encoding}-edited.csv`);
    writeFileSync(edited, bytes);
    expect(cutsOf(edited, 4, enc).parts.map((p) => p.start)).toEqual([0, c1, c2, c3]);
    const args = ['check', '-c', 'test/bench/sla-real.yaml', edited, '--as-of', '2027-01-01', '-f', 'json'];
    const { one, many } = same(args, 4);
    expect(many.cuts).toEqual([`${edited}\t0,${c1},${c2},${c3}`]);
    // the edits took: the replaced row (in the second part) is a problem naming the later row; the
    // ragged row and the bad time are problems at their rows
    const report = JSON.parse(one.stdout);
    const rowOf = (at: number) => bytes.subarray(0, at).toString('latin1').split('\n').length; // no quoted line break before these rows
    const dup = report.problems.filter((p: { message: string }) => /duplicate ticket id/.test(p.message));
    expect(dup).toHaveLength(1);
    expect(dup[0].row).toBe(rowOf(inSecond));
    expect(report.problems.some((p: { row: number; message: string }) => p.row === rowOf(c1) && /fields/.test(p.message))).toBe(true);
    expect(report.problems.some((p: { row: number; column?: string }) => p.row === rowOf(c2) && p.column)).toBe(true);
    // the worst breaches come from more than one part (ticket GD1000000i is on row i + 2)
    const cuts = [c1, c2, c3].map(rowOf);
    const partOf = (id: string) => cuts.filter((c) => Number(id.slice(2)) - 10_000_000 + 2 >= c).length;
    expect(new Set(report.breaches.map((b: { id: string }) => partOf(b.id))).size).toBeGreaterThan(1);
  });

  // the demo's 412 tickets four times over (new ids; the same customers, so repeat complaints run
  // across the parts), with CRLF line endings and a byte-order mark; every 50th row copies the id of
  // the row 400 before it (a duplicate, the later row winning), every 97th has a bad priority
  test('CRLF, a byte-order mark, repeats and duplicates across 3 parts, with --period and --split', () => {
    const [head, ...rows] = readFileSync('fixtures/demo/tickets.csv', 'utf8').trim().split('\n');
    const all: string[] = [];
    for (let k = 0; k < 4; k++) {
      for (const r of rows) {
        const i = all.length;
        let row = r.replace(/^T1/, `T${k + 1}`);
        if (i % 50 === 49 && i >= 400) row = row.replace(/^[^,]*/, all[i - 400].split(',')[0]);
        if (i % 97 === 96) row = row.replace(/,(Normal|High|Low|Urgent),/, ',Whenever,');
        all.push(row);
      }
    }
    const path = join(dir, 'demo-crlf-bom.csv');
    writeFileSync(path, '\ufeff' + [head, ...all].join('\r\n') + '\r\n');
    expect(cutsOf(path, 3, 'utf-8', 3).parts).toHaveLength(3);
    const { one, many } = same(['check', '-c', 'fixtures/demo/sla.yaml', path, '--as-of', '2026-11-01T00:00', '-f', 'json', '--period', 'week', '--split', '2026-10-15'], 3);
    expect(many.cuts[0]).toMatch(/\t0,\d+,\d+$/);
    const report = JSON.parse(one.stdout);
    expect(report.problems.filter((p: { message: string }) => /duplicate ticket id/.test(p.message)).length).toBeGreaterThan(10);
    expect(report.problems.filter((p: { message: string }) => /Whenever/.test(p.message)).length).toBeGreaterThan(10);
    expect(report.kpis.repeat_rate).toBeGreaterThan(0);
  });

  // a quoted field of many lines across the place of the cut: the cut moves to a line break after
  // it, or the file stays whole; either way the same reports
  test('a quoted field with line breaks where a cut would go', () => {
    const [head, ...rows] = readFileSync('fixtures/demo/tickets.csv', 'utf8').trim().split('\n');
    const long = `"${Array.from({ length: 400 }, (_, i) => `line ${i}, with a comma`).join('\n')}"`;
    const body = rows.map((r, i) => (i === 200 ? r.replace(/,[^,]*,([^,]*),([^,]*)$/, `,${long},$1,$2`) : r));
    const path = join(dir, 'quoted-cut.csv');
    writeFileSync(path, [head, ...body].join('\n') + '\n');
    const { many } = same(['check', '-c', 'fixtures/demo/sla.yaml', path, '--as-of', '2026-11-01T00:00', '-f', 'json'], 2);
    expect(many.cuts).toHaveLength(1);
  });

  // the threads start while the cuts are proven: a file whose cut falls inside a quoted field (most
  // of the file is one quoted field of lines with commas) stays whole, its threads are stopped before
  // they read a row, and the one-thread reading gives the reports
  test('a file whose cut cannot be proven stays whole, the threads started for it stopped', () => {
    const [head, ...rows] = readFileSync('fixtures/demo/tickets.csv', 'utf8').trim().split('\n');
    const long = `"${Array.from({ length: 20000 }, (_, i) => `line ${i}, with a comma`).join('\n')}"`;
    const body = rows.map((r, i) => (i === 3 ? r.replace(/,[^,]*,([^,]*),([^,]*)$/, `,${long},$1,$2`) : r));
    const path = join(dir, 'quoted-whole.csv');
    writeFileSync(path, [head, ...body].join('\n') + '\n');
    const { many } = same(['check', '-c', 'fixtures/demo/sla.yaml', path, '--as-of', '2026-11-01T00:00', '-f', 'json'], 2);
    expect(many.cuts).toEqual([`${path}\twhole: a cut would fall inside a quoted field`]);
  });

  // SLA_AUDIT_TIMELINE (internal, for measuring) writes each step's time to standard error and
  // changes nothing else
  test('SLA_AUDIT_TIMELINE=1 names each step of a run in parts, the reports unchanged', () => {
    const args = ['check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00', '-f', 'json'];
    const plain = cli(args, 3);
    const timed = cli(args, 3, { SLA_AUDIT_TIMELINE: '1' });
    const steps = timed.stderr.split('\n').filter((l) => l.startsWith('timeline '));
    expect(timed.stderr.split('\n').filter((l) => !l.startsWith('timeline ')).join('\n')).toBe(plain.stderr);
    expect(timed.stdout).toBe(plain.stdout);
    expect(timed.md).toBe(plain.md);
    const named = steps.map((l) => l.replace(/^timeline +[\d.]+ +\S+ +\d+ heap +\d+\/ *\d+ ab +\d+ /, ''));
    expect(named).toHaveLength(steps.length);
    for (const step of ['config: loaded', 'audit: done', 'parts: proving cuts', 'parts: cuts proven', 'input: duplicate ids done', 'engine: finished', 'check: reports written']) expect(named).toContain(step);
    for (const k of [0, 1, 2]) {
      for (const step of [...(k > 0 ? [`parts: part ${k} thread started`] : []), `part ${k}: config loaded`, `part ${k}: range received`, `part ${k}: first row`, `part ${k}: last row`, `part ${k}: state exported`, `parts: part ${k} received`, `parts: part ${k} absorbed`]) expect(named).toContain(step);
    }
    // the parts are absorbed in file order
    expect(named.indexOf('parts: part 0 absorbed')).toBeLessThan(named.indexOf('parts: part 1 absorbed'));
    expect(named.indexOf('parts: part 1 absorbed')).toBeLessThan(named.indexOf('parts: part 2 absorbed'));
  });

  // every fixture with a config and a tickets.csv (the layouts and side files that stay on one thread
  // included: the same output either way)
  const fixtures = ['fixtures/demo', ...readdirSync('fixtures').flatMap((d) => (existsSync(join('fixtures', d)) && !d.includes('.') ? readdirSync(join('fixtures', d)).map((s) => join('fixtures', d, s)) : []))]
    .filter((d) => existsSync(join(d, 'sla.yaml')) && existsSync(join(d, 'tickets.csv')));
  test.each(fixtures)('%s in 2 and 3 parts', (d) => {
    const args = ['check', '-c', join(d, 'sla.yaml'), join(d, 'tickets.csv'), '--as-of', '2027-01-01T00:00', '-f', 'json'];
    // the one-thread reference is run once and compared with both
    const { one } = same(args, 2);
    same(args, 3, one);
  });
});

describe('a part that fails ends the run: exit 2, one line, no stack', () => {
  test.each(['1:read', '0:crash', '2:crash', '1:exit'])('SLA_AUDIT_PARALLEL_FAIL=%s', (fail) => {
    const r = cli(['check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00', '-q'], 3, { SLA_AUDIT_PARALLEL_FAIL: fail });
    expect(r.status, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(fail.endsWith('read') ? /^sla-audit: fixtures\/demo\/tickets\.csv: cannot read \(EIO\)$/ : /^sla-audit: fixtures\/demo\/tickets\.csv: reading the file in parts on 3 threads failed \(/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.md).toBe('(none)');
    // what the parts that were done had handed over, and any thread's runs, are removed with the run
    expect(r.leftovers).toEqual([]);
  });
});
