// A file cut into byte ranges (src/input/parts.ts) and read part after part must give exactly the
// records, row numbers, line numbers and problems of one pass: checked against one pass of the
// same reader on hostile generated CSV (fast-check), on a file whose quoted field spans the cut
// (it stays whole), on problem rows right at a cut, and on a GBK file. Nothing here is timed.
import { afterAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv, type CsvReader } from '../../src/input/csv.js';
import { shiftProblem } from '../../src/input/rows.js';
import { openInput, openRange } from '../../src/input/source.js';
import { splitFile, type Split } from '../../src/input/parts.js';
import { MAX_RECORD_BYTES } from '../../src/input/limits.js';

const dir = mkdtempSync(join(tmpdir(), 'sla-parts-'));
let n = 0;
const file = (bytes: Buffer | string) => {
  const p = join(dir, `f${n++}.csv`);
  writeFileSync(p, bytes);
  return p;
};

/** What one reading saw, in order: the header, each record and each problem with its row and line. */
type Seen = (string | number)[][];

async function whole(path: string, via: CsvReader, encoding = 'auto'): Promise<{ seen: Seen; encoding: string; delimiter: string; bom: number }> {
  const input = await openInput(path, encoding);
  const seen: Seen = [];
  let delimiter = ',';
  await readCsv(input, 'auto', {
    header: (f, d) => {
      delimiter = d;
      seen.push(['header', ...f]);
    },
    record: (f, row, line) => seen.push(['record', row, line, ...f]),
    problem: (p) => seen.push(['problem', p.row, p.line ?? p.row, p.column ?? '', p.message]),
  }, MAX_RECORD_BYTES, via);
  const raw = Buffer.alloc(3);
  const fd = openSync(path, 'r');
  readSync(fd, raw, 0, 3, 0);
  closeSync(fd);
  const bom = input.encoding === 'utf-8' && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  return { seen, encoding: input.encoding, delimiter, bom };
}

/** The parts read one after the other, each numbering from 1, the rows and lines of those before added. */
async function inParts(path: string, split: Split, encoding: string, delimiter: string, via: CsvReader): Promise<Seen> {
  const seen: Seen = [];
  let rows = 0, lines = 0, header: string[] = [];
  for (const [k, part] of split.parts.entries()) {
    const input = k === 0 ? await openInput(path, encoding === 'utf-8' ? 'auto' : encoding, undefined, undefined, part.end) : openRange(path, part.start, part.end, encoding);
    let partRows = 0, partLines = 0;
    await readCsv(
      input, delimiter,
      {
        header: (f) => {
          header = f;
          seen.push(['header', ...f]);
        },
        record: (f, row, line) => seen.push(['record', rows + row, lines + line, ...f]),
        problem: (problem) => {
          const p = shiftProblem(problem, rows, lines);
          seen.push(['problem', p.row, p.line ?? p.row, p.column ?? '', p.message]);
        },
        end: (r, l) => {
          partRows = r;
          partLines = l;
        },
      },
      MAX_RECORD_BYTES,
      via,
      k === 0 ? undefined : { header },
    );
    rows += partRows;
    lines += partLines;
  }
  return seen;
}

/** Read in parts, by csv-parse and by the byte scanner, the file reads as one pass by the same reader. */
async function sameInParts(path: string, count: number): Promise<Split> {
  let split: Split | undefined;
  for (const via of ['csv-parse', 'scanner'] as const) {
    const one = await whole(path, via);
    split = splitFile(path, { count, minBytes: 0, encoding: one.encoding, delimiter: one.delimiter, bom: one.bom });
    expect(await inParts(path, split, one.encoding, one.delimiter, via)).toEqual(one.seen);
  }
  return split!;
}

const HEADER = 'id,created,replied,resolved,priority';

describe('a file read in parts reads as one pass', () => {
  // mostly cells a cut can be proven around (quotes inside unquoted cells included), some that keep
  // the file whole when they come before a cut (a quote read by the relaxed rules, one never closed)
  const cell = fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom('', 'T1', 'T2', '2026-05-01 09:00', 'Urgent', '快递', 'N/A', ' ', '\t', '5" screen', 'a"b', '\uFEFF', '\uFFFD', '\0') },
    { weight: 15, arbitrary: fc.constantFrom('"quoted, with comma"', '"two\nlines, here"', '"a ""quote"" inside"', '"line\r\nbreak"', '""', '"\n"', '"\r"') },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('"x"y', '"open', '""x'), fc.string({ maxLength: 6 })) },
  );
  const row = fc.array(cell, { minLength: 0, maxLength: 7 }).map((cells) => cells.join(','));
  test('hostile generated CSV, cut in 2 to 4 parts wherever a cut can be proven (300 cases)', async () => {
    let cut = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.integer({ min: 2, max: 4 }), async (rows, eol, bom, count) => {
        const path = file((bom ? '\uFEFF' : '') + [HEADER, ...rows].join(eol) + (rows.length % 2 ? eol : ''));
        const split = await sameInParts(path, count);
        if (split.parts.length > 1) cut++;
      }),
      { numRuns: 300, seed: 21 },
    );
    // the property is not vacuous: many of these files were read in several parts
    expect(cut).toBeGreaterThan(75);
  });

  const ticket = (i: number) => `T${i},2026-05-01 09:${String(i % 60).padStart(2, '0')},2026-05-01 10:00,,Urgent`;

  test('a few thousand rows with quoted line breaks, ragged and blank rows: cut in 3 parts', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) =>
      i % 97 === 0 ? `T${i},"2026-05-01 09:00","a ""note""\nover, two lines",x,High` : i % 89 === 0 ? `T${i},too,few` : i % 83 === 0 ? '' : ticket(i),
    );
    const split = await sameInParts(file([HEADER, ...rows].join('\n') + '\n'), 3);
    expect(split.parts).toHaveLength(3);
  });

  test('a cut that would fall inside a quoted field (line breaks and commas in it): the file stays whole', async () => {
    const inside = Array.from({ length: 400 }, (_, i) => `still, the same field ${i}`).join('\n');
    const rows = [ticket(1), ticket(2), `T3,2026-05-01 09:00,,,"${inside}"`, ticket(4)];
    const path = file([HEADER, ...rows].join('\n') + '\n');
    const split = await sameInParts(path, 2);
    expect(split).toEqual({ parts: [{ start: 0, end: expect.any(Number) }], whole: 'a cut would fall inside a quoted field' });
  });

  test('a quote the reader takes by its relaxed rules ("x"y inside quotes) before a cut: the file stays whole', async () => {
    const rows = [...Array.from({ length: 50 }, (_, i) => ticket(i)), 'T99,"a "b" c",,,', ...Array.from({ length: 50 }, (_, i) => ticket(100 + i))];
    const split = await sameInParts(file([HEADER, ...rows].join('\n') + '\n'), 2);
    expect(split.whole).toBe('a quote inside a quoted field is followed by another character');
  });

  test('problem rows right after each cut keep the row and line numbers of one pass', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ticket(i));
    const bytes = Buffer.from([HEADER, ...rows].join('\n') + '\n');
    const first = splitFile(file(bytes), { count: 3, minBytes: 0, encoding: 'utf-8', delimiter: ',', bom: 0 });
    expect(first.parts).toHaveLength(3);
    // the row just after each cut becomes a problem row of the same length (so the cuts stay): after
    // the first a multi-line row with a NUL byte, after the second a ragged row
    const [c1, c2] = [first.parts[1].start, first.parts[2].start];
    const replace = (at: number, row: string) => {
      const end = bytes.indexOf(0x0a, at);
      Buffer.from(row.padEnd(end - at, ' ')).copy(bytes, at);
    };
    replace(c1, 'T-x,"multi\nline",\0,,');
    replace(c2, 'BAD,row');
    const path = file(bytes);
    const split = await sameInParts(path, 3);
    expect(split.parts.map((p) => p.start)).toEqual([0, c1, c2]);
    // the NUL row is a problem of the reader, the ragged row a record (the ticket reader refuses it)
    const seen = (await whole(path, 'csv-parse')).seen.filter((s) => s[0] === 'problem' || s[3] === 'BAD');
    // worked out from the bytes: a row starting after the k-th line break is on line k + 1; before
    // the first cut every row is one line (row = line), after it the multi-line row adds a line
    const lineAt = (at: number) => bytes.subarray(0, at).toString('latin1').split('\n').length;
    expect(seen.map((p) => p.slice(0, 3))).toEqual([
      ['problem', lineAt(c1), lineAt(c1)],
      ['record', lineAt(c2) - 1, lineAt(c2)],
    ]);
  });

  test('a GBK file (read as GB18030) is cut at its line breaks and reads the same', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `GD${i},2026-05-01 09:00,,,紧急,"物流问题, 快递三天没有更新"`);
    const text = ['工单编号,创建时间,首次响应时间,解决时间,优先级,主题', ...rows].join('\r\n') + '\r\n';
    const path = file(gbk(text));
    const one = await whole(path, 'csv-parse');
    expect(one.encoding).toBe('gb18030');
    const split = await sameInParts(path, 2);
    expect(split.parts).toHaveLength(2);
  });

  test('what stays whole: a UTF-8 file with a bad byte, | in GBK, UTF-16, a small file', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ticket(i));
    const bad = file(Buffer.concat([Buffer.from([HEADER, ...rows].join('\n')), Buffer.from([0xff]), Buffer.from('\nT9,2026-05-01 09:00,,,\n')]));
    expect(splitFile(bad, { count: 2, minBytes: 0, encoding: 'utf-8', delimiter: ',', bom: 0 }).whole).toBe('not all of it is UTF-8');
    const good = file([HEADER, ...rows].join('\n') + '\n');
    expect(splitFile(good, { count: 2, minBytes: 0, encoding: 'gbk', delimiter: '|', bom: 0 }).whole).toMatch(/may be part of a character/);
    expect(splitFile(good, { count: 2, minBytes: 0, encoding: 'utf-16le', delimiter: ',', bom: 0 }).whole).toBe('utf-16le is read whole');
    expect(splitFile(good, { count: 2, minBytes: 1 << 20, encoding: 'utf-8', delimiter: ',', bom: 0 }).whole).toMatch(/smaller than/);
    expect(splitFile(good, { count: 2, minBytes: 0, encoding: 'utf-8', delimiter: ',', bom: 0 }).parts).toHaveLength(2);
  });
});

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

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The whole audit with the file read as byte ranges one after the other (SLA_AUDIT_PARTS, internal)
// against the usual one pass, by the CLI: the same JSON and CSV reports, byte for byte. The file is
// the bench's real-shaped one (distinct rows, Chinese text, customers), a few thousand rows, with
// duplicate ids across the parts (the later row wins), problem rows just after each cut and quoted
// line breaks, in UTF-8 and in GBK.
describe('the same reports from a file read in parts', () => {
  const cli = (args: string[], parts?: number) => {
    const r = spawnSync(process.execPath, ['bin/sla-audit.js', ...args], { encoding: 'utf8', env: { ...process.env, SLA_AUDIT_PARTS: parts ? String(parts) : '' }, maxBuffer: 1 << 26 });
    expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
    return r.stdout.replace(/"generatedAt": "[^"]*"/, '"generatedAt": ""');
  };

  function realShaped(encoding: 'utf-8' | 'gbk'): string {
    const path = join(dir, `real-${encoding}.csv`);
    execFileSync(process.execPath, ['test/bench/generate-real.mjs', '4000', path, encoding]);
    return path;
  }

  test.each(['utf-8', 'gbk'] as const)('real-shaped %s file with duplicates across parts and problems at the cuts, in 3 parts', (encoding) => {
    const path = realShaped(encoding);
    const bytes = readFileSync(path);
    const split = splitFile(path, { count: 3, minBytes: 0, encoding: encoding === 'gbk' ? 'gb18030' : 'utf-8', delimiter: ',', bom: 0 });
    expect(split.parts).toHaveLength(3);
    const lineEnd = (at: number) => bytes.indexOf(0x0a, at);
    const idAt = (at: number) => bytes.subarray(at, bytes.indexOf(0x2c, at)).toString('latin1');
    // rows of the file, in its encoding, in place of as many whole lines from `at` as they need (the
    // last padded with spaces to the end of the last line taken), so the size and the cuts stay;
    // returns where the line after them starts
    const put = (at: number, ...rows: string[]) => {
      const b = encoding === 'gbk' ? gbk(rows.join('\n')) : Buffer.from(rows.join('\n'));
      let end = lineEnd(at);
      while (end - at < b.length) end = lineEnd(end + 1);
      Buffer.concat([b, Buffer.alloc(end - at - b.length, 0x20)]).copy(bytes, at);
      return end + 1;
    };
    const [c1, c2] = [split.parts[1].start, split.parts[2].start];
    const inSecond = lineEnd(c1 + 300) + 1; // a row inside the second part
    const idInSecond = idAt(inSecond);
    // just after the first cut a ragged row; just after the second a later row with the id of the
    // file's eighth row (a duplicate across parts: it wins), then a row with a bad creation time and
    // a quoted line break, then one with the id of a row in the second part (another duplicate)
    put(c1, 'GD-ragged,2025-05-01 09:00:00');
    put(
      c2,
      'GD10000007,2026-03-02 10:00:00,2026-03-02 10:05:00,2026-03-03 10:00:00,高,已解决,微信,物流问题,售后组,李芳,KH000002,x,VIP,"a ""quoted""\nsubject",5,1',
      'GD-bad-time,2025-13-45 09:00:00,,,紧急,已解决,电话,,一线客服,王伟,KH000001,x,VIP,"two\nlines",,',
      `${idInSecond},2026-04-01 10:00:00,,,低,处理中,邮件,,财务组,张伟,KH000003,x,普通,y,,`,
    );
    const edited = join(dir, `real-${encoding}-edited.csv`);
    writeFileSync(edited, bytes);
    expect(splitFile(edited, { count: 3, minBytes: 0, encoding: encoding === 'gbk' ? 'gb18030' : 'utf-8', delimiter: ',', bom: 0 }).parts.map((p) => p.start)).toEqual([0, c1, c2]);
    const args = ['check', '-c', 'test/bench/sla-real.yaml', edited, '--as-of', '2027-01-01'];
    const json = cli([...args, '-f', 'json']);
    const report = JSON.parse(json);
    // the edits took: two duplicates replaced, two problem rows (the ragged row, the bad time)
    const messages: string[] = report.problems.map((p: { row: number; message: string }) => `${p.row} ${p.message}`);
    expect(messages.filter((m) => /duplicate ticket id/.test(m))).toHaveLength(2);
    expect(messages.filter((m) => /has 2 fields|2025-13-45|not a|month/.test(m)).length).toBeGreaterThanOrEqual(2);
    expect(cli([...args, '-f', 'json'], 3)).toBe(json);
    expect(cli([...args, '-f', 'csv'], 3)).toBe(cli([...args, '-f', 'csv']));
  });

  test('the demo and fixtures read in 2 and 3 parts give the same reports', () => {
    const args = ['check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00'];
    const split = splitFile('fixtures/demo/tickets.csv', { count: 3, minBytes: 0, encoding: 'utf-8', delimiter: ',', bom: 0 });
    expect(split.parts.length).toBe(3);
    for (const format of ['json', 'csv', 'markdown']) {
      const one = cli([...args, '-f', format]);
      expect(cli([...args, '-f', format], 2)).toBe(one);
      expect(cli([...args, '-f', format], 3)).toBe(one);
    }
  });
});
