/**
 * A recording's bytes for <audio>: one description of the response (status, headers, a byte range
 * of the file) that the HTTP server and Electron's ser-media: protocol both send, so seeking works
 * the same in a browser and in the app.
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { AudioFormat } from '../audio/decode.ts';
import { getRecording, type StoreDb } from '../store/index.ts';
import { ApiError } from './errors.ts';
import type { LibraryPaths } from './paths.ts';

/** By the format the headers showed at import (the content), not the file name. */
const AUDIO_TYPES: Record<AudioFormat, string> = {
  wav: 'audio/wav',
  flac: 'audio/flac',
  mp3: 'audio/mpeg',
  'ogg-vorbis': 'audio/ogg',
  'ogg-opus': 'audio/ogg',
};

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

export class MediaSource {
  constructor(
    private readonly db: StoreDb,
    private readonly paths: LibraryPaths,
  ) {}

  /** The response for GET (or HEAD) of recording `id`'s audio, with Range honoured. */
  respond(id: number, range: string | undefined, method: 'GET' | 'HEAD' = 'GET'): MediaResponse {
    const recording = getRecording(this.db, id);
    if (!recording) throw new ApiError('not_found', `no recording with id ${id}`);
    const path = this.paths.readablePath(recording.path);
    const size = statSync(path).size;
    const type = AUDIO_TYPES[recording.format as AudioFormat] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
    const wanted = parseRange(range, size);
    if (wanted === 'unsatisfiable') return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` }, body: null };
    const { start, end } = wanted ?? { start: 0, end: size - 1 };
    headers['Content-Length'] = String(Math.max(0, end - start + 1));
    if (wanted) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    const body = method === 'HEAD' || size === 0 ? null : createReadStream(path, { start, end });
    return { status: wanted ? 206 : 200, headers, body };
  }
}
