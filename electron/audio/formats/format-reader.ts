/**
 * The interface every format's reader fills: its headers without decoding, then its samples. Which
 * reader a file gets is detect.ts's to say; the steps every format shares (mono mix, resampling,
 * chunking, the checks on the samples) are the decode door's (decode.ts).
 */
import type { AudioFile } from '../audio-file.ts';

export type AudioFormat = 'wav' | 'flac' | 'mp3' | 'ogg-vorbis' | 'ogg-opus';

/** What a file holds, read from its headers without decoding. */
export interface AudioInfo {
  format: AudioFormat;
  /** The rate the decoder outputs: the stream's own rate, except Opus, which always decodes at 48 kHz. */
  sampleRate: number;
  channels: number;
  /** Present when the headers state it (WAV, FLAC STREAMINFO, Ogg granule, MP3 Xing/Info frame). */
  durationSec?: number;
}

export type Warn = (warning: string) => void;

/** Samples of all channels of one decoded stretch, at the source rate. */
export interface PcmBlock {
  channels: Float32Array[];
  sampleRate: number;
}

/** What a reader learns from the headers: what the door reports, and the layout it reads the samples by. */
export interface Probed<Layout> {
  info: AudioInfo;
  /** What the headers show is wrong while the audio is still readable (a data size the file does not hold, a missing last page). */
  warnings: string[];
  layout: Layout;
}

/** Where detection found the stream: after any ID3v2 tag, with the bytes from there. */
export interface StreamStart {
  offset: number;
  head: Uint8Array;
}

export interface FormatReader<Layout, Start = StreamStart> {
  probe(file: AudioFile, start: Start): Promise<Probed<Layout>>;
  /** All channels at the source rate, a bounded stretch at a time; warn is told of what is missing. */
  blocks(file: AudioFile, probed: Probed<Layout>, warn: Warn): AsyncIterable<PcmBlock>;
}
