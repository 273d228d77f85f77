/** Ogg Vorbis: the identification packet and the last granule for the header, libvorbis (wasm) for the packets. */
import { ascii, dataView } from '../bytes.ts';
import { createWasmDecoder } from '../wasm-decoders.ts';
import { compressedReader } from './compressed.ts';
import type { AudioInfo } from './format-reader.ts';
import { oggTailWarnings, scanOggTail, type OggStart } from './ogg.ts';

export function isVorbisIdentification(packet: Uint8Array): boolean {
  return packet[0] === 1 && ascii(packet, 1, 6) === 'vorbis' && packet.length >= 30;
}

export const oggVorbisReader = compressedReader<OggStart>(
  () => createWasmDecoder('ogg-vorbis'),
  async (file, { packet, serial }) => {
    const sampleRate = dataView(packet).getUint32(12, true);
    const tail = await scanOggTail(file, serial);
    const info: AudioInfo = { format: 'ogg-vorbis', sampleRate, channels: packet[11] };
    if (tail.lastGranule !== undefined && sampleRate > 0) info.durationSec = tail.lastGranule / sampleRate;
    return { info, warnings: oggTailWarnings(tail, info), layout: { start: 0, end: tail.completeEnd } };
  },
);
