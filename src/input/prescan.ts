/**
 * Whether a file is CSV so plain that any reader splits it into the same rows and cells as ours:
 * UTF-8 (a byte-order mark only at the start), RFC 4180 quoting (a quote opens a field and closes it
 * before a delimiter or line break, quotes inside doubled), LF or CRLF line endings, every row with
 * the header's number of fields, no blank line before the last row, no NUL byte, no row over 16 MiB.
 * Another engine (DuckDB) reads such a file exactly as csv-parse does; any other file is read by
 * the streaming engine, which names each irregular row. One pass over the bytes, nothing kept.
 */
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';

export type Prescan = { plain: true; rows: number } | { plain: false; why: string };

const CHUNK = 8 << 20;
const MAX_RECORD = 16 << 20;
const QUOTE = 34, LF = 10, CR = 13;

export async function prescanCsv(path: string, delimiter: string, width: number): Promise<Prescan> {
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127) return { plain: false, why: `the delimiter ${JSON.stringify(delimiter)} is not one ASCII character` };
  const DELIM = delimiter.charCodeAt(0);
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK + 4);
    let carry = 0; // bytes kept from the previous chunk (an unfinished UTF-8 sequence)
    let pos = 0;
    let first = true;
    let inQuote = false;
    let afterQuote = false; // a quote just closed a quoted field
    let pendingQuote = false; // a quote inside a quoted field at the chunk's end: closing, or the first of a pair
    let pendingCr = false;
    let fieldStart = true;
    let fields = 1;
    let recordBytes = 0;
    let recordEmpty = true;
    let records = 0; // header included
    let blankSeen = false;
    const endRecord = (): string | undefined => {
      if (recordEmpty && fields === 1) {
        blankSeen = true;
      } else {
        if (blankSeen) return `a blank line before row ${records + 1}`;
        if (fields !== width) return `row ${records + 1} has ${fields} fields, the header ${width}`;
        records++;
      }
      fields = 1;
      fieldStart = true;
      recordBytes = 0;
      recordEmpty = true;
      afterQuote = false;
      return undefined;
    };
    for (;;) {
      const { bytesRead } = await fh.read(buf, carry, CHUNK, pos);
      pos += bytesRead;
      const end = carry + bytesRead;
      if (end === 0) break;
      let start = 0;
      if (first) {
        first = false;
        if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      }
      // UTF-8 checked up to the last complete sequence; an unfinished one moves to the next chunk
      let cut = end;
      if (bytesRead > 0) {
        let back = 0;
        while (cut > 0 && back < 3 && (buf[cut - 1] & 0xc0) === 0x80) {
          cut--;
          back++;
        }
        if (cut > 0 && buf[cut - 1] >= 0xc0) cut--;
        else cut = end;
      }
      if (!isUtf8(buf.subarray(start, cut))) return { plain: false, why: 'it has bytes that are not UTF-8' };
      if (buf.subarray(start, cut).indexOf(Buffer.from([0xef, 0xbb, 0xbf])) >= 0) return { plain: false, why: 'a byte-order mark in the middle (two exports joined?)' };
      // the unit separator: DuckDB hands a row's cells over joined by it
      if (buf.subarray(start, cut).indexOf(0x1f) >= 0) return { plain: false, why: 'it has a unit-separator control character (0x1F)' };
      for (let i = start; i < cut; i++) {
        const b = buf[i];
        if (pendingCr) {
          pendingCr = false;
          if (b !== LF) return { plain: false, why: 'a line ends in CR alone' };
          const why = endRecord();
          if (why) return { plain: false, why };
          continue;
        }
        if (pendingQuote) {
          pendingQuote = false;
          if (b === QUOTE) {
            recordBytes++;
            continue; // a doubled quote inside the field
          }
          inQuote = false;
          afterQuote = true;
        }
        if (b === 0) return { plain: false, why: 'it has NUL bytes' };
        if (++recordBytes > MAX_RECORD) return { plain: false, why: 'a row over 16 MiB' };
        if (inQuote) {
          if (b === QUOTE) pendingQuote = true;
          continue;
        }
        if (b === DELIM) {
          fields++;
          fieldStart = true;
          afterQuote = false;
          recordEmpty = false;
        } else if (b === LF || b === CR) {
          if (b === CR) pendingCr = true;
          else {
            const why = endRecord();
            if (why) return { plain: false, why };
          }
        } else if (afterQuote) {
          return { plain: false, why: `row ${records + 1} has text after a closing quote` };
        } else if (b === QUOTE) {
          if (!fieldStart) return { plain: false, why: `row ${records + 1} has a quote inside an unquoted field` };
          inQuote = true;
          fieldStart = false;
          recordEmpty = false;
        } else {
          fieldStart = false;
          recordEmpty = false;
        }
      }
      buf.copy(buf, 0, cut, end);
      carry = end - cut;
      if (bytesRead === 0) {
        if (carry) return { plain: false, why: 'it ends inside a UTF-8 character' };
        break;
      }
    }
    if (pendingQuote) {
      inQuote = false;
      afterQuote = true;
    }
    if (inQuote) return { plain: false, why: 'a quote is never closed' };
    if (pendingCr) return { plain: false, why: 'a line ends in CR alone' };
    if (!recordEmpty || fields > 1) {
      const why = endRecord();
      if (why) return { plain: false, why };
    }
    return { plain: true, rows: Math.max(0, records - 1) };
  } finally {
    await fh.close();
  }
}
