/**
 * Audacity label tracks as "Export Labels" writes them: one label per line, start, end and text
 * separated by tabs, times in seconds with six decimals; a label with a spectral selection is
 * followed by a line of a backslash, its low and its high frequency (Hz). A file holds one track,
 * which has no name in the file, so the caller names the tier (after the file, as Audacity does
 * on import). Spectral selections are checked and not kept: SER Studio annotates time spans.
 * A label whose start equals its end is a point label.
 */
import { InteropError, UnwritableError, type AnnotationDocument, type Interval } from './document.ts';

const time = (field: string) => (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(field.trim()) ? Number(field) : NaN);

export function readAudacityLabels(text: string, file: string, tierName: string): AnnotationDocument {
  const labels: Interval[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, n) => {
    const where = `line ${n + 1}`;
    if (line === '' && n === lines.length - 1) return;
    const fields = line.split('\t');
    if (fields[0] === '\\') {
      const [low, high] = [time(fields[1] ?? ''), time(fields[2] ?? '')];
      if (fields.length !== 3 || Number.isNaN(low) || Number.isNaN(high)) {
        throw new InteropError(file, where, 'a spectral-selection line must be "\\", a low and a high frequency, separated by tabs');
      }
      if (labels.length === 0) throw new InteropError(file, where, 'spectral-selection line before any label');
      return;
    }
    const [start, end] = [time(fields[0]), time(fields[1] ?? '')];
    if (fields.length < 2 || Number.isNaN(start) || Number.isNaN(end)) {
      throw new InteropError(file, where, 'a label line must be a start time, an end time and the text, separated by tabs');
    }
    if (end < start) throw new InteropError(file, where, `label ends (${end}) before it starts (${start})`);
    // Text may itself hold tabs: everything after the second one is the label (none: an empty label).
    labels.push({ start, end, label: fields.slice(2).join('\t') });
  });
  const points = labels.length > 0 && labels.every((l) => l.start === l.end);
  return {
    tiers: [
      points
        ? { kind: 'point', name: tierName, points: labels.map((l) => ({ time: l.start, label: l.label })) }
        : { kind: 'interval', name: tierName, intervals: labels },
    ],
  };
}

/** Six decimals, as Audacity writes them: a microsecond, finer than the millisecond kept. */
const seconds = (t: number) => t.toFixed(6);

/** One tier per file: Audacity's label file holds one track. */
export function writeAudacityLabels(doc: AnnotationDocument): string {
  if (doc.tiers.length !== 1) throw new UnwritableError(`an Audacity label file holds one tier, not ${doc.tiers.length}`);
  const [tier] = doc.tiers;
  const labels = tier.kind === 'interval' ? tier.intervals : tier.points.map((p) => ({ start: p.time, end: p.time, label: p.label }));
  const multiline = labels.find((l) => /[\r\n]/.test(l.label));
  if (multiline) throw new UnwritableError(`an Audacity label cannot span lines ("${multiline.label}" at ${multiline.start} s)`);
  return [...labels]
    .sort((a, b) => a.start - b.start)
    .map((l) => `${seconds(l.start)}\t${seconds(l.end)}\t${l.label}\n`)
    .join('');
}
