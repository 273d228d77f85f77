/**
 * Praat TextGrid text files, long ("Save as text file") and short ("Save as short text file"),
 * following Praat's manual page "TextGrid file formats". Praat reads both with one reader that
 * takes only numbers, quoted strings and <flags> in order, skipping the long format's labels
 * ("xmin =", "item [1]:"), so this reader does the same and accepts either format or a mix.
 */
import { documentExtent, InteropError, UnwritableError, type AnnotationDocument, type Interval, type Point, type Tier } from './document.ts';

type Token = { kind: 'number'; value: number; line: number } | { kind: 'string' | 'flag'; value: string; line: number };

/**
 * A missing closing quote makes the string run on to the next quote, and the parse fails only
 * lines later, every string after it shifted; the first string that ran over several lines is the likely culprit.
 */
function quoteHint(tokens: readonly Token[]): string {
  const runOn = tokens.find((t) => t.kind === 'string' && t.value.includes('\n'));
  return runOn ? ` (the text starting on line ${runOn.line} runs over several lines: is its closing quote missing?)` : '';
}

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '"') {
      // A quote inside a string is written twice; a string may span lines.
      const startLine = line;
      let value = '';
      for (i++; ; i++) {
        if (i >= text.length) throw new InteropError(file, `line ${startLine}`, `string not closed by a double quote${quoteHint(tokens)}`);
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          i++;
        } else if (text[i] === '\n') line++;
        value += text[i];
      }
      i++;
      tokens.push({ kind: 'string', value, line: startLine });
    } else if (c === '!') {
      // A comment runs to the end of the line.
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[') {
      // Indices such as "item [1]:" only number what follows.
      while (i < text.length && text[i] !== ']') if (text[i++] === '\n') line++;
      i++;
    } else if (c === '<') {
      const end = text.indexOf('>', i);
      if (end < 0) throw new InteropError(file, `line ${line}`, 'flag not closed by ">"');
      tokens.push({ kind: 'flag', value: text.slice(i + 1, end), line });
      i = end + 1;
    } else if (/[-+.0-9]/.test(c)) {
      const match = /^[^\s"!<[]+/.exec(text.slice(i, i + 64))![0];
      const value = Number(match);
      if (!Number.isFinite(value)) throw new InteropError(file, `line ${line}`, `"${match}" is not a number`);
      tokens.push({ kind: 'number', value, line });
      i += match.length;
    } else {
      // Labels of the long format, "=", ":", "?" and white space carry nothing Praat reads.
      i++;
    }
  }
  return tokens;
}

class Tokens {
  private next = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  private take(kind: Token['kind'], what: string): Token {
    const token = this.tokens[this.next];
    const hint = () => quoteHint(this.tokens.slice(0, this.next));
    if (!token) throw new InteropError(this.file, `line ${this.tokens.at(-1)?.line ?? 1}`, `file ends where ${what} was expected${hint()}`);
    if (token.kind !== kind) {
      throw new InteropError(this.file, `line ${token.line}`, `expected ${what}, found ${token.kind} ${JSON.stringify(token.value)}${hint()}`);
    }
    this.next++;
    return token;
  }

  number(what: string): number {
    return this.take('number', what).value as number;
  }

  count(what: string): number {
    const token = this.take('number', what);
    if (!Number.isInteger(token.value) || (token.value as number) < 0) {
      throw new InteropError(this.file, `line ${token.line}`, `${what} must be a whole number, found ${token.value}`);
    }
    return token.value as number;
  }

  string(what: string): string {
    return this.take('string', what).value as string;
  }

  flag(what: string): string {
    return this.take('flag', what).value as string;
  }

  /** The line of the next token, for errors about what it starts. */
  get line(): number {
    return this.tokens[this.next]?.line ?? this.tokens.at(-1)?.line ?? 1;
  }

  expectEnd(): void {
    const extra = this.tokens[this.next];
    if (extra) throw new InteropError(this.file, `line ${extra.line}`, `unexpected ${extra.kind} after the last tier`);
  }
}

export function readTextGrid(text: string, file: string): AnnotationDocument {
  const t = new Tokens(tokenize(text, file), file);
  const fileType = t.string('File type');
  const objectClass = t.string('Object class');
  if (fileType !== 'ooTextFile' || objectClass !== 'TextGrid') {
    throw new InteropError(file, 'line 1', `not a TextGrid text file (File type "${fileType}", Object class "${objectClass}")`);
  }
  const start = t.number('the grid xmin');
  const end = t.number('the grid xmax');
  const tiers: Tier[] = [];
  if (t.flag('<exists> or <absent>') === 'exists') {
    const size = t.count('the number of tiers');
    for (let n = 0; n < size; n++) tiers.push(readTier(t, file));
  }
  t.expectEnd();
  return { tiers, start, end };
}

function readTier(t: Tokens, file: string): Tier {
  const classLine = t.line;
  const tierClass = t.string('a tier class');
  const name = t.string('a tier name');
  t.number('the tier xmin');
  t.number('the tier xmax');
  const size = t.count(`the size of tier "${name}"`);
  if (tierClass === 'IntervalTier') {
    const intervals: Interval[] = [];
    for (let n = 0; n < size; n++) {
      const line = t.line;
      const interval = { start: t.number('an interval xmin'), end: t.number('an interval xmax'), label: t.string('an interval text') };
      if (!(interval.end >= interval.start)) throw new InteropError(file, `line ${line}`, `interval ends (${interval.end}) before it starts (${interval.start})`);
      intervals.push(interval);
    }
    return { kind: 'interval', name, intervals };
  }
  if (tierClass === 'TextTier') {
    const points: Point[] = [];
    for (let n = 0; n < size; n++) points.push({ time: t.number('a point time'), label: t.string('a point mark') });
    return { kind: 'point', name, points };
  }
  throw new InteropError(file, `line ${classLine}`, `tier class "${tierClass}" is neither "IntervalTier" nor "TextTier"`);
}

const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
/** Shortest text that reads back as the same double, as Praat's own %.17g output does. */
const num = (x: number) => String(x);

/**
 * An interval tier as Praat holds one: intervals that tile the grid's domain, the gaps between
 * labelled spans filled with empty intervals.
 */
function tiled(tier: string, intervals: readonly Interval[], start: number, end: number): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  let at = start;
  for (const interval of sorted) {
    if (interval.start < at) throw new UnwritableError(`TextGrid interval tiers cannot hold overlapping intervals (tier "${tier}": ${interval.start} s starts before ${at} s)`);
    if (interval.start > at) out.push({ start: at, end: interval.start, label: '' });
    out.push(interval);
    at = interval.end;
  }
  if (at < end) out.push({ start: at, end, label: '' });
  return out;
}

/** Writes the long text format, or with `short` the short one; the text is for a UTF-8 file. */
export function writeTextGrid(doc: AnnotationDocument, options: { short?: boolean } = {}): string {
  const { start, end } = documentExtent(doc);
  const lines = ['File type = "ooTextFile"', 'Object class = "TextGrid"', ''];
  // Long-format lines are Praat's own: a label, " = ", the value and a trailing space.
  const field = (indent: number, label: string, value: string) =>
    lines.push(options.short ? value : `${' '.repeat(indent)}${label}${value} `);
  const heading = (indent: number, text: string) => !options.short && lines.push(`${' '.repeat(indent)}${text}`);
  field(0, 'xmin = ', num(start));
  field(0, 'xmax = ', num(end));
  field(0, 'tiers? ', doc.tiers.length ? '<exists>' : '<absent>');
  if (doc.tiers.length) {
    field(0, 'size = ', String(doc.tiers.length));
    heading(0, 'item []: ');
  }
  doc.tiers.forEach((tier, n) => {
    heading(4, `item [${n + 1}]:`);
    field(8, 'class = ', quote(tier.kind === 'interval' ? 'IntervalTier' : 'TextTier'));
    field(8, 'name = ', quote(tier.name));
    field(8, 'xmin = ', num(start));
    field(8, 'xmax = ', num(end));
    if (tier.kind === 'interval') {
      const intervals = tiled(tier.name, tier.intervals, start, end);
      field(8, 'intervals: size = ', String(intervals.length));
      intervals.forEach((interval, k) => {
        heading(8, `intervals [${k + 1}]:`);
        field(12, 'xmin = ', num(interval.start));
        field(12, 'xmax = ', num(interval.end));
        field(12, 'text = ', quote(interval.label));
      });
    } else {
      const points = [...tier.points].sort((a, b) => a.time - b.time);
      field(8, 'points: size = ', String(points.length));
      points.forEach((point, k) => {
        heading(8, `points [${k + 1}]:`);
        field(12, 'number = ', num(point.time));
        field(12, 'mark = ', quote(point.label));
      });
    }
  });
  return `${lines.join('\n')}\n`;
}
