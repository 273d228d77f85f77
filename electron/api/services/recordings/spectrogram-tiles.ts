/**
 * Spectrogram tiles at screen resolution (issue 14 item 5): the log-mel of a stretch reduced to as many
 * columns as the screen shows. Frames sit on the recording's own grid (frame k centred at sample k * hop)
 * and dB are relative to a fixed full-scale reference, so a tile does not depend on where its stretch
 * starts or how loud its neighbours are: adjacent tiles join without seams and a cache can keep them.
 */
import type { LogMelExtractor } from '../../../audio/mel.ts';
import type { SignalSource } from '../../../audio/signal-source.ts';

/** power_to_db's floor, as librosa's amin. */
const AMIN = 1e-10;

/**
 * Up to this many frames a column, every frame of the stretch is computed and the columns are their
 * exact max-pool. Beyond it (a zoomed-out view of a long recording) each column computes only its
 * LOUDEST_FRAMES_PER_COLUMN loudest frames by the source's block energy, which keeps short loud events
 * visible, so a tile costs at most its columns times FRAMES_PER_COLUMN frames however long its stretch.
 * Two, not four: a column's frames are read and resampled from the file (wav-signal.ts), and four of a
 * fitted 10-minute view's 16 frames a column would convert as many samples as the whole file.
 */
export const FRAMES_PER_COLUMN = 4;
export const LOUDEST_FRAMES_PER_COLUMN = 2;

/** First frame (of `frames`) that column j of `columns` covers; column j covers [edge(j), edge(j + 1)). */
export function columnEdge(j: number, frames: number, columns: number): number {
  return Math.floor((j * frames) / columns);
}

const fullScaleDb = new WeakMap<LogMelExtractor, number>();

/** dB of the loudest mel band of a full-scale 1 kHz sine: the 0 dB of every tile. */
export function fullScaleReferenceDb(extractor: LogMelExtractor): number {
  let ref = fullScaleDb.get(extractor);
  if (ref === undefined) {
    const { sampleRate, nFft, nMels } = extractor.settings;
    const sine = Float64Array.from({ length: 2 * nFft }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / sampleRate));
    const power = new Float64Array(nMels);
    extractor.melPowerFrame(sine, Math.floor(nFft / extractor.settings.hop), power, 0);
    ref = 10 * Math.log10(Math.max(AMIN, ...power));
    fullScaleDb.set(extractor, ref);
  }
  return ref;
}

export interface Tile {
  /** First frame of the recording's grid in the tile. */
  firstFrame: number;
  /** Frames of the grid the tile covers (before reduction). */
  frames: number;
  /** Columns of the result: frames, or fewer where reduced. */
  columns: number;
  /** columns x nMels bytes, frame-major: 0 is -topDb, 255 is 0 dB full scale. */
  bytes: Uint8Array;
}

/** Indices in [0, energies.length) of the at most k largest energies, in order. */
function loudest(energies: Float64Array, k: number): number[] {
  const best: { t: number; e: number }[] = [];
  energies.forEach((e, t) => {
    if (best.length < k) best.push({ t, e });
    else {
      let low = 0;
      for (let i = 1; i < best.length; i++) if (best[i].e < best[low].e) low = i;
      if (e > best[low].e) best[low] = { t, e };
    }
  });
  return best.map((b) => b.t).sort((a, b) => a - b);
}

/** The frames each column computes: all of its frames up to FRAMES_PER_COLUMN, else its loudest by the source's frame energies. */
async function chosenFrames(source: SignalSource, hop: number, firstFrame: number, frames: number, columns: number): Promise<number[][]> {
  const perColumn = Math.ceil(frames / Math.max(1, columns));
  const energies = perColumn > FRAMES_PER_COLUMN ? await source.frameEnergies(hop, firstFrame, firstFrame + frames) : undefined;
  return Array.from({ length: columns }, (_, j) => {
    const first = columnEdge(j, frames, columns);
    const last = columnEdge(j + 1, frames, columns);
    if (!energies) return Array.from({ length: last - first }, (_, i) => firstFrame + first + i);
    return loudest(energies.subarray(first, last), LOUDEST_FRAMES_PER_COLUMN).map((i) => firstFrame + first + i);
  });
}

/**
 * Calls `frame` for each frame, in order, with samples holding its window at local frame index `at`:
 * frames close enough to share samples are read in one stretch, so a source reads each sample once.
 */
async function forEachFrame(
  source: SignalSource,
  extractor: LogMelExtractor,
  frames: readonly number[],
  frame: (t: number, samples: Float32Array, at: number) => void,
): Promise<void> {
  const { hop, nFft } = extractor.settings;
  // Frames of lead before a run, so its first window starts inside what is read.
  const lead = Math.ceil(nFft / 2 / hop);
  const runs: { from: number; to: number }[] = [];
  for (let i = 0; i < frames.length; ) {
    let j = i + 1;
    while (j < frames.length && frames[j] - frames[j - 1] <= 2 * lead) j++;
    runs.push({ from: i, to: j });
    i = j;
  }
  const stretches = runs.map(({ from, to }) => ({ first: (frames[from] - lead) * hop, count: (frames[to - 1] - frames[from] + lead) * hop + nFft / 2 }));
  const read = await source.readMany(stretches);
  runs.forEach(({ from, to }, r) => {
    for (let k = from; k < to; k++) frame(frames[k], read[r], frames[k] - frames[from] + lead);
  });
}

/**
 * The tile of frames whose centres fall in [startSec, endSec), reduced to at most `columns` columns.
 * Stretches that meet at a time meet at a frame, so tiles of adjacent stretches concatenate.
 */
export async function computeTile(source: SignalSource, extractor: LogMelExtractor, startSec: number, endSec: number, columns: number): Promise<Tile> {
  const { hop, sampleRate, nMels, topDb } = extractor.settings;
  const total = 1 + Math.floor(source.length / hop);
  const firstFrame = Math.min(total, Math.ceil((startSec * sampleRate) / hop - 1e-9));
  const frames = Math.max(0, Math.min(total, Math.ceil((endSec * sampleRate) / hop - 1e-9)) - firstFrame);
  const cols = Math.min(columns, frames);
  const ref = fullScaleReferenceDb(extractor);
  const scale = 255 / topDb;
  const bytes = new Uint8Array(cols * nMels);
  const power = new Float64Array(nMels);
  const perColumn = await chosenFrames(source, hop, firstFrame, frames, cols);
  const columnOf = new Map<number, number>();
  perColumn.forEach((chosen, j) => chosen.forEach((t) => columnOf.set(t, j)));
  await forEachFrame(source, extractor, perColumn.flat(), (t, samples, at) => {
    const j = columnOf.get(t) as number;
    const row = bytes.subarray(j * nMels, (j + 1) * nMels);
    extractor.melPowerFrame(samples, at, power, 0);
    for (let m = 0; m < nMels; m++) {
      const db = 10 * Math.log10(Math.max(AMIN, power[m])) - ref;
      const q = Math.round((Math.min(0, Math.max(-topDb, db)) + topDb) * scale);
      if (q > row[m]) row[m] = q;
    }
  });
  return { firstFrame, frames, columns: cols, bytes };
}
