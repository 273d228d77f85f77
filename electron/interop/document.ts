/**
 * The one shape every annotation file format is read into and written from: a document holds the
 * tiers of one recording, as Praat, ELAN, Audacity and Label Studio each arrange them.
 */

export interface Interval {
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  label: string;
}

export interface Point {
  time: number;
  label: string;
}

export type Tier = { kind: 'interval'; name: string; intervals: Interval[] } | { kind: 'point'; name: string; points: Point[] };

export interface AnnotationDocument {
  tiers: Tier[];
  /** The audio the file names (a path or URL as written there), where the format names one. */
  media?: string;
  /** The time domain a TextGrid declares; writers take it where given, else the tiers' extent. */
  start?: number;
  end?: number;
}

/** A file that is not a well-formed instance of its format: the message names the file and where in it. */
export class InteropError extends Error {
  override readonly name = 'InteropError';

  constructor(
    readonly file: string,
    /** "line 12", or for JSON the path of the offending value ("task 2, result 1"). */
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${file}: ${where}: ${reason}`);
  }
}

/** A document the format cannot hold as it is (overlapping intervals in a TextGrid tier, points in ELAN): nothing is written. */
export class UnwritableError extends Error {
  override readonly name = 'UnwritableError';
}

/** A document's extent: its declared domain (from 0 where none is declared), widened to every interval and point it holds. */
export function documentExtent(doc: AnnotationDocument): { start: number; end: number } {
  let start = doc.start ?? 0;
  let end = doc.end ?? start;
  for (const tier of doc.tiers) {
    const times = tier.kind === 'interval' ? tier.intervals.flatMap((i) => [i.start, i.end]) : tier.points.map((p) => p.time);
    for (const t of times) {
      start = Math.min(start, t);
      end = Math.max(end, t);
    }
  }
  return { start, end };
}

/** 1-based line of a character offset, for errors that name the line. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Text of an annotation file: UTF-16 (either byte order) when a byte-order mark says so, as Praat
 * writes TextGrids holding non-ASCII labels, else UTF-8 (its mark dropped). Invalid UTF-8 is an error
 * rather than replacement characters, so a label is never silently changed.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  try {
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InteropError(file, 'encoding', 'not valid UTF-8 or UTF-16 text');
  }
}
