/**
 * Spectrogram tiles at screen resolution (issue 14 item 5): the log-mel of a stretch reduced to as many
 * columns as the screen shows. Frames sit on the recording's own grid (frame k centred at sample k * hop)
 * and dB are relative to a fixed full-scale reference, so a tile does not depend on where its stretch
 * starts or how loud its neighbours are: adjacent tiles join without seams and a cache can keep them.
 */
import type { LogMelExtractor } from '../audio/mel.ts';

/** power_to_db's floor, as librosa's amin. */
const AMIN = 1e-10;

/**
 * At most this many frames are computed per column. Up to it every frame of the stretch is computed and
 * the columns are their exact max-pool; beyond it (a zoomed-out view of a long recording) each column
 * computes only its loudest frames by sample energy, which keeps short loud events visible, so a tile
 * costs at most its columns times this many frames however long its stretch.
 */
export const FRAMES_PER_COLUMN = 4;

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

/** Frame indices in [first, last) whose hop-long block around the centre holds the most energy, at most k, in order. */
function loudestFrames(samples: Float32Array, hop: number, first: number, last: number, k: number): number[] {
  const best: { t: number; e: number }[] = [];
  for (let t = first; t < last; t++) {
    const from = Math.max(0, t * hop - (hop >> 1));
    const to = Math.min(samples.length, from + hop);
    let e = 0;
    for (let i = from; i < to; i++) e += samples[i] * samples[i];
    if (best.length < k) best.push({ t, e });
    else {
      let low = 0;
      for (let i = 1; i < best.length; i++) if (best[i].e < best[low].e) low = i;
      if (e > best[low].e) best[low] = { t, e };
    }
  }
  return best.map((b) => b.t).sort((a, b) => a - b);
}

/**
 * The tile of frames whose centres fall in [startSec, endSec), reduced to at most `columns` columns.
 * Stretches that meet at a time meet at a frame, so tiles of adjacent stretches concatenate.
 */
export function computeTile(samples: Float32Array, extractor: LogMelExtractor, startSec: number, endSec: number, columns: number): Tile {
  const { hop, sampleRate, nMels, topDb } = extractor.settings;
  const total = 1 + Math.floor(samples.length / hop);
  const firstFrame = Math.min(total, Math.ceil((startSec * sampleRate) / hop - 1e-9));
  const frames = Math.max(0, Math.min(total, Math.ceil((endSec * sampleRate) / hop - 1e-9)) - firstFrame);
  const cols = Math.min(columns, frames);
  const perColumn = Math.ceil(frames / Math.max(1, cols));
  const ref = fullScaleReferenceDb(extractor);
  const scale = 255 / topDb;
  const bytes = new Uint8Array(cols * nMels);
  const power = new Float64Array(nMels);
  for (let j = 0; j < cols; j++) {
    const first = firstFrame + columnEdge(j, frames, cols);
    const last = firstFrame + columnEdge(j + 1, frames, cols);
    const chosen = perColumn <= FRAMES_PER_COLUMN ? Array.from({ length: last - first }, (_, i) => first + i) : loudestFrames(samples, hop, first, last, FRAMES_PER_COLUMN);
    const row = bytes.subarray(j * nMels, (j + 1) * nMels);
    for (const t of chosen) {
      extractor.melPowerFrame(samples, t, power, 0);
      for (let m = 0; m < nMels; m++) {
        const db = 10 * Math.log10(Math.max(AMIN, power[m])) - ref;
        const q = Math.round((Math.min(0, Math.max(-topDb, db)) + topDb) * scale);
        if (q > row[m]) row[m] = q;
      }
    }
  }
  return { firstFrame, frames, columns: cols, bytes };
}
