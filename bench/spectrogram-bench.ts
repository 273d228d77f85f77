/**
 * Long files in the recording view (issue 14 item 5): what the main process does for the first view of a
 * generated 48 kHz stereo 16-bit WAV, fitted on a 1,700 device-pixel plot: decode (once, shared by every
 * request), the waveform's overview peaks, and the spectrogram, as one stretch of up to ten minutes at
 * full resolution (before tiles) and as the tiles at screen resolution the renderer asks for now.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DecodedCache } from '../electron/api/decoded-cache.ts';
import { computePeaks, computeSpectrogram, computeSpectrogramTile, MAX_SPECTROGRAM_SECONDS } from '../electron/api/signal-views.ts';
import { LogMelExtractor } from '../electron/audio/mel.ts';
import type { FeatureSettings } from '../electron/audio/settings.ts';
import { MAX_FETCH_POINTS } from '../renderer/src/lib/fine-peaks.ts';
import { tileLevel, tilesFor } from '../renderer/src/lib/spectrogram-tiles.ts';
import { writeLongWav } from './long-file.ts';

export interface SpectrogramBench {
  minutes: number;
  decode_ms: number;
  peaks_ms: number;
  /** One full-resolution stretch of up to ten minutes, as the renderer asked before tiles. */
  spectrogram_full_ms: number;
  /** Every tile of the fitted view at screen resolution. */
  spectrogram_tiles_ms: number;
  tiles: number;
}

const PLOT_DEVICE_PX = 1700;

function ms(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export async function benchSpectrogram(dir: string, minutes: number, block: readonly Float32Array[], settings: FeatureSettings): Promise<SpectrogramBench> {
  const path = join(dir, `view-${minutes}min.wav`);
  writeLongWav(path, minutes, block);
  try {
    const extractor = new LogMelExtractor(settings);
    const t0 = performance.now();
    const signal = await new DecodedCache(settings.sampleRate).get(path);
    const decode_ms = performance.now() - t0;
    const peaks_ms = ms(() => computePeaks(signal, MAX_FETCH_POINTS));
    const spectrogram_full_ms = ms(() => computeSpectrogram(signal, extractor, 0, Math.min(signal.durationSec, MAX_SPECTROGRAM_SECONDS)));
    const tiles = tilesFor(0, signal.durationSec, signal.durationSec, tileLevel(signal.durationSec / PLOT_DEVICE_PX));
    const spectrogram_tiles_ms = ms(() => {
      for (const t of tiles) computeSpectrogramTile(signal, extractor, t.startSec, t.endSec, t.columns);
    });
    return { minutes, decode_ms, peaks_ms, spectrogram_full_ms, spectrogram_tiles_ms, tiles: tiles.length };
  } finally {
    rmSync(path, { force: true });
  }
}
