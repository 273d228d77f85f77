/** Ogg Opus: the OpusHead packet and the last granule for the header, libopus (wasm) for the packets. */
import { ascii, dataView } from '../bytes.ts';
import { createWasmDecoder } from '../wasm-decoders.ts';
import { compressedReader } from './compressed.ts';
import type { AudioInfo } from './format-reader.ts';
import { oggTailWarnings, scanOggTail, type OggStart } from './ogg.ts';

/** Opus always decodes at 48 kHz, whatever rate the encoder was given. */
const OPUS_RATE = 48000;

export function isOpusHead(packet: Uint8Array): boolean {
  return ascii(packet, 0, 8) === 'OpusHead' && packet.length >= 19;
}

export const oggOpusReader = compressedReader<OggStart>(
  () => createWasmDecoder('ogg-opus'),
  async (file, { packet, serial }) => {
    const preSkip = dataView(packet).getUint16(10, true);
    const tail = await scanOggTail(file, serial);
    const info: AudioInfo = { format: 'ogg-opus', sampleRate: OPUS_RATE, channels: packet[9] };
    if (tail.lastGranule !== undefined) info.durationSec = Math.max(0, tail.lastGranule - preSkip) / OPUS_RATE;
    return { info, warnings: oggTailWarnings(tail, info), layout: { start: 0, end: tail.completeEnd } };
  },
);
