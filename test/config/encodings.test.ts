import { expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { audit, ConfigError, loadConfig } from '../../src/index.js';
import { at } from '../helpers/index.js';

// A config with Chinese priority aliases, policy and calendar names, as an editor on Chinese Windows
// (GBK) or Notepad's "Unicode" (UTF-16) saves it.
const YAML = `# 客服 SLA
timezone: Asia/Shanghai
calendars:
  工作时间: { hours: { mon-fri: [09:00-18:00] } }
tickets:
  columns: { id: 工单号, created_at: 创建时间, first_response_at: 首次回复, priority: 优先级 }
priorities: { P1: [紧急], P2: [高, 较高] }
policies:
  - name: 标准
    calendar: 工作时间
    targets: { first_response: { P1: 30m, P2: 2h } }
`;
const CSV = '工单号,创建时间,首次回复,优先级\nT1,2026-05-04 09:00,2026-05-04 09:20,紧急\nT2,2026-05-04 09:00,2026-05-04 12:00,较高\n';

/** GBK bytes of a text, from a table built with the GBK decoder (Node has no GBK encoder). */
function gbk(text: string): Buffer {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder('gbk');
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) table.set(dec.decode(Uint8Array.of(a, b)), [a, b]);
  }
  return Buffer.from([...text].flatMap((c) => (c.charCodeAt(0) < 0x80 ? [c.charCodeAt(0)] : table.get(c)!)));
}

const dir = mkdtempSync(join(tmpdir(), 'sla-cfg-enc-'));
const write = (name: string, bytes: Buffer) => {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
};

async function auditWith(file: string) {
  const config = loadConfig(file);
  const seen: string[] = [];
  const r = await audit({
    config,
    inputs: ['-'],
    stdin: Readable.from([Buffer.from(CSV)]),
    asOf: at('2026-05-05T00:00', 'Asia/Shanghai'),
    onTicket: (ev) => seen.push(`${ev.ticket.id} ${ev.ticket.priority} ${ev.policy?.name} ${ev.results[0].status}`),
  });
  return { config, seen, problems: r.problems };
}

const le = Buffer.from(YAML, 'utf16le');
test.each([
  ['GBK', gbk(YAML)],
  ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(YAML)])],
  ['UTF-16LE with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
  ['UTF-16BE with a byte-order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()])],
  ['UTF-16LE without one', le],
  ['UTF-16BE without one', Buffer.from(le).swap16()],
])('a config in %s: Chinese aliases, policy and calendar names work', async (name, bytes) => {
  if (!name.startsWith('UTF-8')) expect(bytes.includes(Buffer.from('紧急'))).toBe(false); // not UTF-8 underneath
  const { config, seen, problems } = await auditWith(write(`${name}.yaml`, bytes));
  expect(config.priorities).toEqual(['P1', 'P2']);
  expect(config.policies.map((p) => `${p.name} ${p.calendar.name}`)).toEqual(['标准 工作时间']);
  expect(problems).toEqual([]);
  expect(seen).toEqual(['T1 P1 标准 met', 'T2 P2 标准 breached']);
});

test('a config that is neither UTF-8, UTF-16 nor GB18030 is refused in one line naming the place', () => {
  const file = write('bad.yaml', Buffer.concat([Buffer.from('timezone: UTC\n# caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\npolicies: []\n')]));
  expect(() => loadConfig(file)).toThrow(new ConfigError([`${file}: line 2 has bytes that are neither UTF-8 nor GB18030 (0xE9 at byte 19); save the config as UTF-8`]));
  const binary = write('binary.yaml', Buffer.from([0x74, 0x3a, 0, 0, 0, 0x0a, 1, 0, 0, 0]));
  expect(() => loadConfig(binary)).toThrow(new ConfigError([`${binary}: looks binary (it has NUL bytes), not a YAML config; save the config as UTF-8`]));
});
