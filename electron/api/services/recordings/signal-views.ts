/** What the renderer draws from a recording's signal: waveform peaks and the model's log-mel image. */
import { LogMelExtractor } from '../../../audio/mel.ts';
import type { FeatureSettings } from '../../../audio/settings.ts';
import type { SignalSource } from '../../../audio/signal-source.ts';
import type { Peaks, Spectrogram } from '../../transport/contract.ts';
import { ApiError } from '../../transport/errors.ts';
import { computeTile } from './spectrogram-tiles.ts';

/** The longest stretch one spectrogram call covers (the contract's 10 minutes). */
export const MAX_SPECTROGRAM_SECONDS = 600;

/** [startSec, endSec] clamped to the signal, the whole of it by default; an empty or reversed stretch is refused. */
export function stretch(signal: SignalSource, startSec = 0, endSec?: number): { start: number; end: number } {
  const end = Math.min(endSec ?? signal.durationSec, signal.durationSec);
  if (!(startSec < end)) {
    throw new ApiError('invalid_input', `the stretch ${startSec}..${endSec ?? 'end'} s is empty (the recording lasts ${signal.durationSec.toFixed(3)} s)`);
  }
  return { start: startSec, end };
}

export async function computePeaks(signal: SignalSource, points: number, startSec?: number, endSec?: number): Promise<Peaks> {
  const { start, end } = stretch(signal, startSec, endSec);
  return { durationSec: signal.durationSec, startSec: start, endSec: end, peaks: await signal.peaks(points, start, end) };
}

/** What every spectrogram answer says of its bands and dB range, from the model's feature settings. */
function spectrogramShape(extractor: LogMelExtractor, signal: SignalSource) {
  const settings: FeatureSettings = extractor.settings;
  if (signal.sampleRate !== settings.sampleRate) throw new Error(`signal at ${signal.sampleRate} Hz, the model's features need ${settings.sampleRate} Hz`);
  return { hopSec: settings.hop / settings.sampleRate, shape: { nMels: settings.nMels, fMin: settings.fMin, fMax: settings.fMax, topDb: settings.topDb } };
}

/**
 * The log-mel of a stretch exactly as the model's extractor computes it (dB below the stretch's
 * maximum, floored at -topDb), quantised to bytes: 0 is -topDb, 255 is 0 dB.
 */
export async function computeSpectrogram(signal: SignalSource, extractor: LogMelExtractor, startSec?: number, endSec?: number): Promise<Spectrogram> {
  const settings: FeatureSettings = extractor.settings;
  const { hopSec, shape } = spectrogramShape(extractor, signal);
  // Without an end, the stretch runs as far as one call may cover.
  const { start, end } = stretch(signal, startSec, endSec ?? (startSec ?? 0) + MAX_SPECTROGRAM_SECONDS);
  if (end - start > MAX_SPECTROGRAM_SECONDS + 1e-9) {
    throw new ApiError('invalid_input', `a spectrogram covers at most ${MAX_SPECTROGRAM_SECONDS} s; ask for ${(end - start).toFixed(1)} s in parts`);
  }
  const first = Math.floor(start * settings.sampleRate);
  const last = Math.min(signal.length, Math.ceil(end * settings.sampleRate));
  const mel = extractor.compute(await signal.read(first, last - first));
  const bytes = new Uint8Array(mel.db.length);
  const scale = 255 / settings.topDb;
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round((mel.db[i] + settings.topDb) * scale);
  return { startSec: start, endSec: end, ...shape, frames: mel.frames, frameSec: hopSec, data: base64(bytes) };
}

/**
 * A tile at screen resolution (spectrogram-tiles.ts): any stretch of the recording, on its frame
 * grid, dB below full scale, reduced to at most `columns` columns by the maximum over the frames
 * each covers.
 */
export async function computeSpectrogramTile(
  signal: SignalSource,
  extractor: LogMelExtractor,
  startSec: number | undefined,
  endSec: number | undefined,
  columns: number,
): Promise<Spectrogram> {
  const { hopSec, shape } = spectrogramShape(extractor, signal);
  const { start, end } = stretch(signal, startSec, endSec);
  const tile = await computeTile(signal, extractor, start, end, columns);
  const frameSec = tile.columns > 0 ? (tile.frames / tile.columns) * hopSec : hopSec;
  return {
    // Column j is centred at startSec + j * frameSec: the middle of the frames it covers.
    startSec: (tile.firstFrame - 0.5) * hopSec + frameSec / 2,
    endSec: end,
    ...shape,
    frames: tile.columns,
    frameSec,
    data: base64(tile.bytes),
  };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
