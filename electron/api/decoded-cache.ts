/**
 * Decoded signals of the last few recordings, so drawing a waveform, zooming and the spectrogram
 * beneath it decode a file once. An entry is reused while the file keeps its size and modification
 * time; the cache holds at most `maxBytes` of samples.
 */
import { stat } from 'node:fs/promises';
import { decodeFile } from '../audio/decode.ts';

export interface DecodedSignal {
  samples: Float32Array;
  sampleRate: number;
  durationSec: number;
}

interface Entry {
  path: string;
  size: number;
  mtimeMs: number;
  signal: Promise<DecodedSignal>;
  bytes: number;
}

export class DecodedCache {
  /** In use order, most recent last. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly sampleRate: number,
    private readonly maxBytes = 256 * 1024 * 1024,
  ) {}

  async get(path: string): Promise<DecodedSignal> {
    const { size, mtimeMs } = await stat(path);
    const known = this.entries.get(path);
    this.entries.delete(path);
    if (known && known.size === size && known.mtimeMs === mtimeMs) {
      this.entries.set(path, known);
      return known.signal;
    }
    const signal = decodeFile(path, { targetRate: this.sampleRate }).then(({ samples, sampleRate, durationSec }) => ({ samples, sampleRate, durationSec }));
    const entry: Entry = { path, size, mtimeMs, signal, bytes: 0 };
    this.entries.set(path, entry);
    try {
      const decoded = await signal;
      entry.bytes = decoded.samples.byteLength;
      this.evict();
      return decoded;
    } catch (err) {
      if (this.entries.get(path) === entry) this.entries.delete(path);
      throw err;
    }
  }

  private evict(): void {
    let total = 0;
    for (const e of this.entries.values()) total += e.bytes;
    for (const [path, e] of this.entries) {
      // Always keep the most recent entry, however large: it is the one being drawn.
      if (total <= this.maxBytes || this.entries.size === 1) break;
      this.entries.delete(path);
      total -= e.bytes;
    }
  }
}
