/**
 * The signals of the last few recordings, so drawing a waveform, zooming and the spectrogram beneath
 * it open a file once: a PCM WAV is read in place (wav-signal.ts: only what a request covers, plus a
 * small index), any other format is decoded whole. An entry is reused while the file keeps its size
 * and modification time; the cache holds at most `maxBytes` of samples and indexes.
 */
import { stat } from 'node:fs/promises';
import { decodeFile } from '../../../audio/decode.ts';
import { inMemorySource, type SignalSource } from '../../../audio/signal-source.ts';
import { openWavSignal } from '../../../audio/wav-signal.ts';

interface Entry {
  path: string;
  size: number;
  mtimeMs: number;
  signal: Promise<SignalSource>;
  bytes: number;
}

export class DecodedCache {
  /** In use order, most recent last. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly sampleRate: number,
    private readonly maxBytes = 256 * 1024 * 1024,
  ) {}

  async get(path: string): Promise<SignalSource> {
    const { size, mtimeMs } = await stat(path);
    const known = this.entries.get(path);
    this.entries.delete(path);
    if (known && known.size === size && known.mtimeMs === mtimeMs) {
      this.entries.set(path, known);
      return known.signal;
    }
    const signal = this.open(path);
    const entry: Entry = { path, size, mtimeMs, signal, bytes: 0 };
    this.entries.set(path, entry);
    try {
      const opened = await signal;
      entry.bytes = opened.bytes;
      this.evict();
      return opened;
    } catch (err) {
      if (this.entries.get(path) === entry) this.entries.delete(path);
      throw err;
    }
  }

  private async open(path: string): Promise<SignalSource> {
    const wav = await openWavSignal(path, this.sampleRate);
    if (wav) return wav;
    const { samples, sampleRate } = await decodeFile(path, { targetRate: this.sampleRate });
    return inMemorySource(samples, sampleRate);
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
