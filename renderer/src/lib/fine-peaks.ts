/**
 * The waveform's peaks at one density for the whole recording, sharpened where the user looks. The page first
 * gets an overview (at most the API's 20,000 points: about 33 a second for a 10-minute interview, blocky once
 * zoomed in); each point here starts as the overview point its time falls in, and the stretch around the view
 * is fetched at full density as the user zooms and scrolls. wavesurfer keeps drawing from this one array,
 * refined in place, so neither playback nor the scroll position is disturbed.
 */

/** The deepest zoom's pixels per second: beyond it a peak per pixel adds nothing. */
export const FINE_DENSITY = 2000;
/** The array's size limit (16 MB): a recording of hours gets fewer points per second. */
const MAX_POINTS = 4_000_000;
/** Points per recordings.peaks call, as the API allows. */
export const MAX_FETCH_POINTS = 20_000;
/** Coverage is tracked per block of points. */
const BLOCK = 256;

export interface PeaksRequest {
  startSec: number;
  endSec: number;
  points: number;
}

export class FinePeaks {
  /** Points per second. */
  readonly density: number;
  readonly values: Float32Array;
  /** The recording's loudest point: every sample lies in some overview point, so sharpening never exceeds it. */
  readonly peak: number;
  /** 1 where a block holds peaks at full density. */
  private readonly sharp: Uint8Array;
  /** Points per second of the overview: zoomed out to this, it is sharp enough. */
  private readonly overviewDensity: number;

  constructor(
    readonly durationSec: number,
    overview: ArrayLike<number>,
  ) {
    this.density = Math.min(FINE_DENSITY, MAX_POINTS / Math.max(durationSec, 1e-3));
    const n = Math.max(1, Math.round(durationSec * this.density));
    this.values = new Float32Array(n);
    // An overview point is the peak of its whole stretch: an upper bound on every fine point within it.
    for (let i = 0; i < n; i++) this.values[i] = overview[Math.min(overview.length - 1, Math.floor((i * overview.length) / n))] ?? 0;
    this.sharp = new Uint8Array(Math.ceil(n / BLOCK)).fill(overview.length >= n ? 1 : 0);
    this.overviewDensity = overview.length / Math.max(durationSec, 1e-3);
    let peak = 0;
    for (let i = 0; i < overview.length; i++) peak = Math.max(peak, overview[i]);
    this.peak = peak;
  }

  /** How many points to ask for the overview: every point of a recording short enough, else one call's worth. */
  static overviewPoints(durationSec: number): number {
    return Math.max(1, Math.min(MAX_FETCH_POINTS, Math.round(durationSec * FINE_DENSITY)));
  }

  /**
   * The stretch to fetch so that the view, and a view's width either side for scrolling, is sharp (centred
   * on the view and cut to one call's worth of points), or null when the view already is, or when at this
   * zoom (pixels per second) the overview has a point for every pixel.
   */
  wanted(view: { start: number; end: number }, zoom: number): PeaksRequest | null {
    if (zoom <= this.overviewDensity) return null;
    const span = Math.max(0, view.end - view.start);
    // Requests start and end on block boundaries (so fill marks every block it asked for): two blocks of slack.
    const most = (MAX_FETCH_POINTS - 2 * BLOCK) / this.density;
    let start = Math.max(0, view.start - span);
    let end = Math.min(this.durationSec, view.end + span);
    if (end - start > most) {
      const middle = (view.start + view.end) / 2;
      start = Math.max(0, Math.min(middle - most / 2, this.durationSec - most));
      end = Math.min(this.durationSec, start + most);
    }
    const n = this.values.length;
    const first = Math.max(0, Math.floor(Math.max(start, view.start) * this.density));
    const last = Math.min(n, Math.ceil(Math.min(end, view.end) * this.density));
    let blurred = false;
    for (let b = Math.floor(first / BLOCK); b * BLOCK < last; b++) blurred ||= this.sharp[b] === 0;
    if (!blurred) return null;
    const i0 = Math.floor((start * this.density) / BLOCK) * BLOCK;
    const i1 = Math.min(n, Math.ceil((end * this.density) / BLOCK) * BLOCK);
    return { startSec: i0 / this.density, endSec: i1 / this.density, points: i1 - i0 };
  }

  /** Writes the peaks fetched for a request of wanted() in place. */
  fill(request: PeaksRequest, peaks: ArrayLike<number>): void {
    const i0 = Math.round(request.startSec * this.density);
    const count = Math.min(peaks.length, this.values.length - i0);
    for (let k = 0; k < count; k++) this.values[i0 + k] = peaks[k];
    // Only blocks wholly inside the stretch are sharp now (the last block of the recording may be short).
    const end = i0 + count;
    for (let b = Math.ceil(i0 / BLOCK); b < this.sharp.length && Math.min((b + 1) * BLOCK, this.values.length) <= end; b++) this.sharp[b] = 1;
  }
}
