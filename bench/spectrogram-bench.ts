/**
 * Long files in the recording view (issue 14 item 5): what the main process does for the first view of a
 * generated 48 kHz stereo 16-bit WAV, fitted on a 1,700 device-pixel plot, through the functions the API
 * calls: open the recording's signal (DecodedCache: a PCM WAV is read in place), the waveform's overview
 * peaks (the first builds the file's peak index in one pass), and the spectrogram tiles at screen
 * resolution. Beside it, what the view waited for before: a whole-file decode and resample (still what
 * compressed formats and classification do), and one full-resolution stretch of up to ten minutes.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFile } from '../electron/audio/decode.ts';
import { DecodedCache } from '../electron/api/services/recordings/decoded-cache.ts';
import { computePeaks, computeSpectrogram, computeSpectrogramTile, MAX_SPECTROGRAM_SECONDS } from '../electron/api/services/recordings/signal-views.ts';
import { LogMelExtractor } from '../electron/audio/mel.ts';
import type { FeatureSettings } from '../electron/audio/settings.ts';
import { FinePeaks } from '../renderer/src/lib/fine-peaks.ts';
import { tileLevel, tilesFor } from '../renderer/src/lib/spectrogram-tiles.ts';
import { writeLongWav } from './long-file.ts';

export interface SpectrogramBench {
  minutes: number;
  /** Open, overview peaks and every tile of the fitted view, one after the other. */
  first_view_ms: number;
  open_ms: number;
  peaks_ms: number;
  /** Every tile of the fitted view at screen resolution. */
  spectrogram_tiles_ms: number;
  tiles: number;
  /** A whole-file decode and resample to the model's rate, which the first view waited for before. */
  decode_ms: number;
  /** One full-resolution stretch of up to ten minutes, as the renderer asked before tiles. */
  spectrogram_full_ms: number;
}

const PLOT_DEVICE_PX = 1700;

async function ms(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function benchSpectrogram(dir: string, minutes: number, block: readonly Float32Array[], settings: FeatureSettings): Promise<SpectrogramBench> {
  const path = join(dir, `view-${minutes}min.wav`);
  writeLongWav(path, minutes, block);
  try {
    const extractor = new LogMelExtractor(settings);
    const t0 = performance.now();
    const signal = await new DecodedCache(settings.sampleRate).get(path);
    const open_ms = performance.now() - t0;
    const peaks_ms = await ms(() => computePeaks(signal, FinePeaks.overviewPoints(signal.durationSec)));
    const tiles = tilesFor(0, signal.durationSec, signal.durationSec, tileLevel(signal.durationSec / PLOT_DEVICE_PX));
    const spectrogram_tiles_ms = await ms(async () => {
      for (const t of tiles) await computeSpectrogramTile(signal, extractor, t.startSec, t.endSec, t.columns);
    });
    const first_view_ms = performance.now() - t0;
    const spectrogram_full_ms = await ms(() => computeSpectrogram(signal, extractor, 0, Math.min(signal.durationSec, MAX_SPECTROGRAM_SECONDS)));
    const decode_ms = await ms(() => decodeFile(path, { targetRate: settings.sampleRate }));
    return { minutes, first_view_ms, open_ms, peaks_ms, spectrogram_tiles_ms, tiles: tiles.length, decode_ms, spectrogram_full_ms };
  } finally {
    rmSync(path, { force: true });
  }
}
