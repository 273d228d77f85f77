/**
 * Annotators' interval lists on one shared time grid, so they can be compared frame by frame:
 * frame i spans [i f, (i + 1) f) and takes the label of the span that holds its centre
 * (i + 0.5) f, so a boundary moves a frame's label only once it passes that frame's middle.
 * A frame no span holds is labelled NONE: silence left unlabelled by both annotators counts as
 * agreement, and a label against nothing as disagreement.
 */
import { MISSING } from './agreement.ts';

/** 10 ms: finer than any annotator places a boundary by ear, coarse enough that an hour is 360,000 frames. */
export const DEFAULT_FRAME_SEC = 0.01;

/** The category of a frame outside every span. */
export const NONE = 'none';

export interface LabelledSpan {
  startSec: number;
  endSec: number;
  label: string;
}

/** Category names in a fixed order, each with its index. */
export class Categories {
  private readonly index = new Map<string, number>();

  constructor(names: Iterable<string>) {
    for (const name of [...names, NONE]) if (!this.index.has(name)) this.index.set(name, this.index.size);
  }

  get names(): string[] {
    return [...this.index.keys()];
  }

  code(name: string): number {
    const code = this.index.get(name);
    if (code === undefined) throw new RangeError(`"${name}" is not one of the categories (${this.names.join(', ')})`);
    return code;
  }
}

const centre = (frame: number, frameSec: number) => (frame + 0.5) * frameSec;
/** A frame's start to the microsecond, so frame 29 of 10 ms starts at 0.29 s, not 0.29000000000000004. */
const edge = (frame: number, frameSec: number) => Math.round(frame * frameSec * 1e6) / 1e6;

/** The frames whose centre lies before extentSec. */
export function frameCount(extentSec: number, frameSec: number): number {
  return Math.max(0, Math.ceil(extentSec / frameSec - 0.5));
}

/**
 * One rater's category code per frame. Where that rater's spans overlap, the one given later in
 * spans wins (store order is by start, so the later-starting span).
 */
export function frameCodes(spans: readonly LabelledSpan[], categories: Categories, frames: number, frameSec: number): Int32Array {
  const codes = new Int32Array(frames).fill(categories.code(NONE));
  for (const span of spans) {
    const code = categories.code(span.label);
    // Rounding can put this one frame early, never late; the centre test below settles it exactly.
    const first = Math.max(0, Math.floor(span.startSec / frameSec - 0.5));
    for (let i = first; i < frames && centre(i, frameSec) < span.endSec; i++) if (centre(i, frameSec) >= span.startSec) codes[i] = code;
  }
  return codes;
}

/** Every rater's codes for one recording; null for a rater who did not rate it. */
export type RaterFrames = readonly (Int32Array | null)[];

/** Each frame's ratings, one per rater (MISSING for a rater with no codes). The array yielded is reused. */
export function* frameRatings(raters: RaterFrames, frames: number): Generator<Int32Array> {
  const ratings = new Int32Array(raters.length);
  for (let i = 0; i < frames; i++) {
    for (let r = 0; r < raters.length; r++) ratings[r] = raters[r]?.[i] ?? MISSING;
    yield ratings;
  }
}

/** A run of frames where the raters do not all agree, with each rater's label there (null: not rated). */
export interface DisagreementSegment {
  startSec: number;
  endSec: number;
  labels: (string | null)[];
}

/**
 * The runs of frames where at least two raters rated and not all of them gave the same label,
 * one segment per run of identical labels, so each segment names what each rater said.
 */
export function disagreementSegments(raters: RaterFrames, frames: number, frameSec: number, categories: Categories): DisagreementSegment[] {
  const names = categories.names;
  const segments: DisagreementSegment[] = [];
  let open: { start: number; key: string; codes: number[] } | undefined;
  const close = (end: number) => {
    if (!open) return;
    segments.push({ startSec: edge(open.start, frameSec), endSec: edge(end, frameSec), labels: open.codes.map((c) => (c === MISSING ? null : names[c])) });
    open = undefined;
  };
  let i = 0;
  for (const ratings of frameRatings(raters, frames)) {
    const given = ratings.filter((c) => c !== MISSING);
    const disagree = given.length >= 2 && given.some((c) => c !== given[0]);
    const key = disagree ? ratings.join(',') : '';
    if (open && open.key !== key) close(i);
    if (disagree && !open) open = { start: i, key, codes: [...ratings] };
    i++;
  }
  close(frames);
  return segments;
}
