/**
 * A recording's audio for <audio>: one description of the response (status, headers, a byte range)
 * that the HTTP server and Electron's ser-media: protocol both send, so seeking works the same in a
 * browser and in the app. What is sent is the decoded signal as 16-bit PCM WAV, not the file's own
 * bytes: every browser plays PCM WAV and seeks in it by arithmetic, whereas Chromium's FLAC demuxer
 * ends a file at its last frame's start (3.72 of RAVDESS's 3.87 s) and fails for good on a seek past
 * that. The WAV holds exactly the decoder's samples, so <audio> agrees with the waveform's duration;
 * a PCM WAV's are read and converted per piece of the body (signal-source.ts), never the whole file.
 */
import { Readable } from 'node:stream';
import { pcm16WavHeader, toPcm16 } from '../../../audio/pcm16-wav.ts';
import { getRecording, type StoreDb } from '../../../store/index.ts';
import type { SignalSource } from '../../../audio/signal-source.ts';
import type { DecodedCache } from './decoded-cache.ts';
import { ApiError } from '../../transport/errors.ts';
import type { LibraryPaths } from '../library/paths.ts';

/** Samples converted per piece of the body, so a long recording is never held twice in memory. */
const CHUNK_SAMPLES = 32 * 1024;

export interface MediaResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  /** The bytes to send; null for 416 and for HEAD requests. */
  body: Readable | null;
}

/** The byte range a Range header asks for, or null when there is none; 'unsatisfiable' when it lies outside the file. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges (multipart answers) are not worth supporting for audio: send the whole file.
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2])); // a suffix: the last N bytes
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Bytes start..end (inclusive) of the WAV file holding the signal's samples, read and converted a piece at a time. */
async function* wavBytes(signal: SignalSource, start: number, end: number): AsyncGenerator<Buffer> {
  const header = pcm16WavHeader(signal.sampleRate, signal.length);
  if (start < header.length) yield header.subarray(start, Math.min(header.length, end + 1));
  for (let offset = Math.max(start, header.length); offset <= end; ) {
    const stop = Math.min(end + 1, offset + CHUNK_SAMPLES * 2);
    // A range may start or end in the middle of a sample: convert whole samples, then cut.
    const first = (offset - header.length) >> 1;
    const last = (stop - 1 - header.length) >> 1;
    const samples = await signal.read(first, last - first + 1);
    const piece = Buffer.alloc(samples.length * 2);
    for (let i = 0; i < samples.length; i++) piece.writeInt16LE(toPcm16(samples[i]), i * 2);
    const skip = (offset - header.length) & 1;
    yield piece.subarray(skip, skip + stop - offset);
    offset = stop;
  }
}

export class MediaSource {
  constructor(
    private readonly db: StoreDb,
    private readonly paths: LibraryPaths,
    /** A getter: the cache goes with the active model (its feature rate), which can change. */
    private readonly decoded: () => DecodedCache,
  ) {}

  /** The response for GET (or HEAD) of recording `id`'s audio, with Range honoured. */
  async respond(id: number, range: string | undefined, method: 'GET' | 'HEAD' = 'GET'): Promise<MediaResponse> {
    const recording = getRecording(this.db, id);
    if (!recording) throw new ApiError('not_found', `no recording with id ${id}`);
    const signal = await this.decoded().get(this.paths.readablePath(recording.path));
    const size = pcm16WavHeader(signal.sampleRate, 0).length + signal.length * 2;
    const headers: Record<string, string> = { 'Content-Type': 'audio/wav', 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
    const wanted = parseRange(range, size);
    if (wanted === 'unsatisfiable') return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` }, body: null };
    const { start, end } = wanted ?? { start: 0, end: size - 1 };
    headers['Content-Length'] = String(end - start + 1);
    if (wanted) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    const body = method === 'HEAD' ? null : Readable.from(wavBytes(signal, start, end), { objectMode: false });
    return { status: wanted ? 206 : 200, headers, body };
  }
}
