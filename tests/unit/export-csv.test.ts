import { parse } from 'csv-parse/sync';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { exportCsv, ExportError, writeCsv, type CsvCell } from '../../electron/export/csv.ts';
import { numberText, round6 } from '../../electron/export/numbers.ts';
import { tempDir } from '../helpers/store-fixtures.ts';

const { dir, cleanup } = tempDir('ser-export-csv-');
afterAll(cleanup);

const parseCsv = (text: string | Buffer): string[][] => parse(text, { bom: true, relax_column_count: false });

/** The CSV text writeCsv produces for rows from a plain or an async iterable. */
async function csvText(
  header: string[],
  rows: Iterable<readonly CsvCell[]> | AsyncIterable<readonly CsvCell[]>,
  options: { spreadsheetSafe?: boolean } = {},
): Promise<string> {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  await writeCsv(sink, header, rows, options);
  return text;
}

const TRICKY: CsvCell[] = [
  'plain',
  'comma, inside',
  'say "hi"',
  'two\nlines',
  'windows\r\nbreak',
  'lone\rreturn',
  'Zoë — 日本語 🎙️',
  '  padded  ',
  '',
  null,
  -0.25,
  0,
  1234567.5,
];

describe('writeCsv', () => {
  it('writes RFC 4180 CSV that a CSV parser reads back field by field', async () => {
    const out = join(dir, 'tricky.csv');
    const header = TRICKY.map((_, i) => `c${i}`);
    await exportCsv(out, header, [TRICKY, [...TRICKY].reverse()]);
    const bytes = readFileSync(out);
    const text = bytes.toString('utf8');
    expect(text.startsWith(`${header.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const expected = ['plain', 'comma, inside', 'say "hi"', 'two\nlines', 'windows\r\nbreak', 'lone\rreturn', 'Zoë — 日本語 🎙️', '  padded  ', '', '', '-0.25', '0', '1234567.5'];
    expect(parseCsv(bytes)).toEqual([header, expected, [...expected].reverse()]);
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
  });

  it('guards text cells against formula injection by default, never numbers', async () => {
    const rows: CsvCell[][] = [['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tTab', '\rCR', -3.5, 'safe -']];
    const safe = join(dir, 'safe.csv');
    await exportCsv(safe, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], rows);
    expect(parseCsv(readFileSync(safe))[1]).toEqual(["'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tTab", "'\rCR", '-3.5', 'safe -']);
    const raw = join(dir, 'raw.csv');
    await exportCsv(raw, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], rows, { spreadsheetSafe: false });
    expect(parseCsv(readFileSync(raw))[1]).toEqual(['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tTab', '\rCR', '-3.5', 'safe -']);
  });

  it('quotes exactly the text cells holding a comma, a quote, a CR or an LF', async () => {
    const row: CsvCell[] = ['a', 'b,c', 'say "hi"', 'x\ry', 'p\nq', ' s ', '', null, 1.5];
    expect(await csvText(['h'], [row])).toBe('h\r\na,"b,c","say ""hi""","x\ry","p\nq", s ,,,1.5\r\n');
  });

  it('guards text that starts like a negative number or a full-width formula, never a negative number', async () => {
    const row: CsvCell[] = ['-1', -1, '\uFF1DSUM(A1)', '\r', 'a=b'];
    expect(await csvText(['h'], [row])).toBe(`h\r\n'-1,-1,'\uFF1DSUM(A1),"'\r",a=b\r\n`);
    expect(await csvText(['h'], [row], { spreadsheetSafe: false })).toBe('h\r\n-1,-1,\uFF1DSUM(A1),"\r",a=b\r\n');
  });

  it('writes the same text for rows from an async iterable', async () => {
    const plain = Array.from({ length: 1500 }, (_, i): CsvCell[] => [i, `row ${i}`, '=x']);
    async function* rows() {
      for (const row of plain) yield row;
    }
    const expected = await csvText(['i', 'text', 'f'], plain);
    expect(expected.split('\r\n')[1500]).toBe("1499,row 1499,'=x");
    expect(await csvText(['i', 'text', 'f'], rows())).toBe(expected);
  });

  it('starts with a UTF-8 byte order mark only when asked', async () => {
    const out = join(dir, 'bom.csv');
    await exportCsv(out, ['é'], [['ü']], { bom: true });
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(bytes)).toEqual([['é'], ['ü']]);
  });

  it('pulls rows only as fast as the destination takes them', async () => {
    let pulled = 0;
    const total = 200_000;
    function* many() {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield [i, 'row'];
      }
    }
    const held: (() => void)[] = [];
    let holding = true;
    let bytes = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (holding) held.push(done);
        else done();
      },
    });
    const finished = writeCsv(slow, ['i', 'text'], many());
    const ticks = async (n: number) => {
      for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
    };
    await ticks(20);
    const stalledAt = pulled;
    await ticks(20);
    // the destination took one chunk and holds it: reading stops after a few buffered chunks
    expect(held.length).toBe(1);
    expect(pulled).toBe(stalledAt);
    expect(pulled).toBeLessThan(10_000);
    holding = false;
    held.forEach((done) => done());
    expect(await finished).toBe(total);
    expect(pulled).toBe(total);
    expect(bytes).toBe('i,text\r\n'.length + Array.from({ length: total }, (_, i) => `${i},row\r\n`.length).reduce((a, b) => a + b, 0));
  });
});

describe('numberText', () => {
  it('writes a number exactly as String does', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const values = [0, -0, 1, -1, 0.5, -0.25, 1e-6, -1e-6, 1e-7, 0.000123, 0.1 + 0.2, 2147.483647, -2147.483647, 2147.483648, 1234567.5, 1e21, 2 ** 53, NaN, Infinity];
    for (let i = 0; i < 20_000; i++) {
      const x = (random() - 0.5) * 10 ** Math.floor(random() * 8 - 3);
      values.push(x, round6(x), Math.round(x * 1e3) / 1e3, Math.fround(random()), round6(Math.fround(random())));
    }
    expect(values.filter((v) => numberText(v) !== String(v))).toEqual([]);
  });
});

describe('exportCsv to a file', () => {
  it('reports an unwritable path before reading any row', async () => {
    let pulled = 0;
    const rows = function* () {
      pulled++;
      yield ['x'];
    };
    const missing = join(dir, 'no-such-folder', 'out.csv');
    await expect(exportCsv(missing, ['a'], rows())).rejects.toThrow(new ExportError(`cannot write ${missing}: folder does not exist`));
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    await expect(exportCsv(folder, ['a'], rows())).rejects.toThrow(new ExportError(`cannot write ${folder}: is a folder`));
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it.skipIf(process.getuid?.() === 0)('reports a folder it may not write to', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    const out = join(locked, 'out.csv');
    await expect(exportCsv(out, ['a'], [['x']])).rejects.toThrow(new ExportError(`cannot write ${out}: permission denied`));
  });

  it('leaves an existing report untouched and no temporary file when the export fails', async () => {
    const sub = join(dir, 'keep');
    mkdirSync(sub);
    const out = join(sub, 'report.csv');
    writeFileSync(out, 'previous report\r\n');
    function* failing() {
      for (let i = 0; i < 5000; i++) yield [i];
      throw new Error('database went away');
    }
    await expect(exportCsv(out, ['i'], failing())).rejects.toThrow('database went away');
    expect(readFileSync(out, 'utf8')).toBe('previous report\r\n');
    expect(readdirSync(sub)).toEqual(['report.csv']);
  });
});
