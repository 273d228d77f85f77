import { describe, expect, it } from 'vitest';
import { readAudacityLabels, writeAudacityLabels } from '../../electron/interop/audacity.ts';
import { decodeText, UnwritableError, type AnnotationDocument } from '../../electron/interop/document.ts';
import { readTextGrid, writeTextGrid } from '../../electron/interop/textgrid.ts';
import { TEXTGRID_LONG as LONG, thrown } from '../helpers/interop-fixtures.ts';

// The same grid as "Save as short text file" writes it.
const SHORT = `File type = "ooTextFile"
Object class = "TextGrid"

0
2.3
<exists>
2
"IntervalTier"
"emotion"
0
2.3
3
0
0.512
""
0.512
1.7345
"she said ""no"""
1.7345
2.3
"angry"
"TextTier"
"bell"
0
2.3
2
0.9
"ding"
1.3
"dong"
`;

const GRID: AnnotationDocument = {
  start: 0,
  end: 2.3,
  tiers: [
    {
      kind: 'interval',
      name: 'emotion',
      intervals: [
        { start: 0, end: 0.512, label: '' },
        { start: 0.512, end: 1.7345, label: 'she said "no"' },
        { start: 1.7345, end: 2.3, label: 'angry' },
      ],
    },
    { kind: 'point', name: 'bell', points: [{ time: 0.9, label: 'ding' }, { time: 1.3, label: 'dong' }] },
  ],
};

/** UTF-16 with a byte-order mark, as Praat saves a TextGrid whose labels are not all ASCII. */
function utf16(text: string, order: 'le' | 'be'): Uint8Array {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  return order === 'le' ? le : le.swap16();
}

describe('Praat TextGrid', () => {
  it('reads the long text format with interval and point tiers, doubled quotes undone', () => {
    expect(readTextGrid(LONG, 'a.TextGrid')).toEqual(GRID);
  });

  it('reads the short text format into the same document', () => {
    expect(readTextGrid(SHORT, 'a.TextGrid')).toEqual(GRID);
  });

  it('reads UTF-16 files of either byte order with their byte-order mark, and UTF-8 with one', () => {
    const text = SHORT.replace('"angry"', '"überrascht – ça"');
    for (const bytes of [utf16(text, 'le'), utf16(text, 'be'), Buffer.from(`\ufeff${text}`, 'utf8')]) {
      const grid = readTextGrid(decodeText(bytes, 'u.TextGrid'), 'u.TextGrid');
      expect(grid.tiers[0].kind === 'interval' && grid.tiers[0].intervals[2].label).toBe('überrascht – ça');
    }
  });

  it('writes what Praat writes, long and short', () => {
    expect(writeTextGrid(GRID)).toBe(LONG);
    expect(writeTextGrid(GRID, { short: true })).toBe(SHORT);
  });

  it('fills the gaps of an interval tier with empty intervals and keeps times and labels through a round trip', () => {
    const doc: AnnotationDocument = {
      tiers: [{ kind: 'interval', name: 'a', intervals: [{ start: 1.001, end: 2.999, label: 'calm  ' }, { start: 3.5, end: 4.25, label: 'x\ny' }] }],
    };
    for (const short of [false, true]) {
      const back = readTextGrid(writeTextGrid(doc, { short }), 'r.TextGrid');
      expect(back).toEqual({
        start: 0,
        end: 4.25,
        tiers: [
          {
            kind: 'interval',
            name: 'a',
            intervals: [
              { start: 0, end: 1.001, label: '' },
              { start: 1.001, end: 2.999, label: 'calm  ' },
              { start: 2.999, end: 3.5, label: '' },
              { start: 3.5, end: 4.25, label: 'x\ny' },
            ],
          },
        ],
      });
    }
  });

  it('refuses to write overlapping intervals into one tier', () => {
    const doc: AnnotationDocument = {
      tiers: [{ kind: 'interval', name: 'a', intervals: [{ start: 0, end: 2, label: 'x' }, { start: 1, end: 3, label: 'y' }] }],
    };
    expect(() => writeTextGrid(doc)).toThrow(UnwritableError);
  });

  it('names the line of what is broken', () => {
    expect(thrown(() => readTextGrid(LONG.replace('xmax = 1.7345 ', 'xmax = ? '), 'b.TextGrid')).message).toBe(
      'b.TextGrid: line 22: expected an interval xmax, found string "she said \\"no\\""',
    );
    expect(thrown(() => readTextGrid(SHORT.replace('"dong"', '"dong'), 'b.TextGrid')).message).toBe(
      'b.TextGrid: line 30: string not closed by a double quote',
    );
    expect(thrown(() => readTextGrid(SHORT.replace('"TextTier"', '"PitchTier"'), 'b.TextGrid')).message).toBe(
      'b.TextGrid: line 22: tier class "PitchTier" is neither "IntervalTier" nor "TextTier"',
    );
    expect(thrown(() => readTextGrid(SHORT.replace(/"dong"\n$/, ''), 'b.TextGrid')).message).toBe(
      'b.TextGrid: line 29: file ends where a point mark was expected',
    );
    expect(thrown(() => readTextGrid('File type = "ooTextFile"\nObject class = "Pitch 1"\n', 'p.txt')).where).toBe('line 1');
    expect(thrown(() => decodeText(new Uint8Array([0x22, 0xff, 0x22]), 'bad.TextGrid')).message).toBe(
      'bad.TextGrid: encoding: not valid UTF-8 or UTF-16 text',
    );
  });
});

// As Audacity's File > Export > Export Labels writes a track: six decimals, tabs, and after a
// label with a spectral selection a line of a backslash and its low and high frequency.
const LABELS = `0.512000\t1.734500\thappy
\\\t120.000000\t4000.000000
1.734500\t2.300000\tangry, loud
2.500000\t2.500000\tclick
`;

describe('Audacity labels', () => {
  it('reads a label track, spectral-selection lines and point labels among them', () => {
    expect(readAudacityLabels(LABELS, 'take1.txt', 'take1')).toEqual({
      tiers: [
        {
          kind: 'interval',
          name: 'take1',
          intervals: [
            { start: 0.512, end: 1.7345, label: 'happy' },
            { start: 1.7345, end: 2.3, label: 'angry, loud' },
            { start: 2.5, end: 2.5, label: 'click' },
          ],
        },
      ],
    });
  });

  it('reads a track of point labels only as a point tier, and Windows line ends', () => {
    expect(readAudacityLabels('0.100000\t0.100000\tding\r\n0.250000\t0.250000\t\r\n', 'p.txt', 'p')).toEqual({
      tiers: [{ kind: 'point', name: 'p', points: [{ time: 0.1, label: 'ding' }, { time: 0.25, label: '' }] }],
    });
  });

  it('writes six decimals and reads back the same times to the millisecond and the same labels', () => {
    const doc: AnnotationDocument = {
      tiers: [{ kind: 'interval', name: 't', intervals: [{ start: 0.001, end: 1.999, label: 'a\tb ' }, { start: 61.25, end: 62.5, label: 'sad' }] }],
    };
    const text = writeAudacityLabels(doc);
    expect(text).toBe('0.001000\t1.999000\ta\tb \n61.250000\t62.500000\tsad\n');
    expect(readAudacityLabels(text, 't.txt', 't')).toEqual(doc);
  });

  it('names the line of a broken label and refuses labels it cannot write', () => {
    expect(thrown(() => readAudacityLabels('0.5\t1.0\tx\n1.0 2.0 y\n', 'l.txt', 'l')).message).toBe(
      'l.txt: line 2: a label line must be a start time, an end time and the text, separated by tabs',
    );
    expect(thrown(() => readAudacityLabels('0.5\t1.0\tx\n\\\t100\n', 'l.txt', 'l')).where).toBe('line 2');
    expect(thrown(() => readAudacityLabels('2.0\t1.0\tx\n', 'l.txt', 'l')).reason).toBe('label ends (1) before it starts (2)');
    expect(() => writeAudacityLabels({ tiers: [{ kind: 'point', name: 'p', points: [{ time: 1, label: 'two\nlines' }] }] })).toThrow(UnwritableError);
  });
});
