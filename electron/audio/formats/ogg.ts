/** The Ogg container, which Vorbis and Opus share: the first page's packet names the codec; the last pages give the duration. */
import type { AudioFile } from '../audio-file.ts';
import { ascii, dataView } from '../bytes.ts';
import type { AudioInfo } from './format-reader.ts';
import { truncatedHeader } from './header-errors.ts';

/** Ogg page header size before its segment table. */
const OGG_PAGE_HEADER = 27;
/** The header-type flag of a logical stream's last page. */
const OGG_END_OF_STREAM = 0x04;
/** The tail scan's window: it always holds the start of the last page (a page is at most 65,307 bytes). */
const TAIL_BYTES = 64 * 1024;

/** The first packet of the first page (the codec's identification header) and its stream's serial number. */
export interface OggStart {
  packet: Uint8Array;
  serial: number;
}

export function oggStart(file: AudioFile, head: Uint8Array): OggStart {
  if (head.length < OGG_PAGE_HEADER) throw truncatedHeader(file, 'Ogg', OGG_PAGE_HEADER);
  const segments = head[26];
  const packetStart = OGG_PAGE_HEADER + segments;
  if (head.length < packetStart) throw truncatedHeader(file, 'Ogg', packetStart);
  let firstPacketLength = 0;
  for (let i = 0; i < segments; i++) {
    firstPacketLength += head[OGG_PAGE_HEADER + i];
    if (head[OGG_PAGE_HEADER + i] < 255) break;
  }
  const packetEnd = packetStart + firstPacketLength;
  if (head.length < packetEnd) throw truncatedHeader(file, 'Ogg', packetEnd);
  return { packet: head.subarray(packetStart, packetEnd), serial: dataView(head).getUint32(14, true) };
}

export interface OggTail {
  /** End of the last complete page: a truncated last page is left out, as the decoders' flush turns it into noise. */
  completeEnd: number;
  /** Granule position (samples at the codec's rate) of the stream's last complete page that has one. */
  lastGranule?: number;
  /** Whether the last complete page is flagged end-of-stream, as every finished Ogg file's is. */
  ended: boolean;
}

/** The granule duration is that of the last page present, so a cut Ogg shows only by its missing end-of-stream page. */
export function oggTailWarnings(tail: OggTail, info: AudioInfo): string[] {
  if (tail.ended) return [];
  const present = info.durationSec === undefined ? '' : `: ${info.durationSec.toFixed(1)} s read`;
  return [`truncated: the Ogg stream has no end-of-stream page${present}`];
}

export async function scanOggTail(file: AudioFile, serial: number): Promise<OggTail> {
  const tailStart = Math.max(0, file.size - TAIL_BYTES);
  const tail = await file.read(tailStart, TAIL_BYTES);
  const v = dataView(tail);
  let completeEnd: number | undefined;
  let lastGranule: number | undefined;
  let ended = false;
  for (let at = tail.length - OGG_PAGE_HEADER; at >= 0 && lastGranule === undefined; at--) {
    if (tail[at] !== 0x4f || ascii(tail, at, 4) !== 'OggS' || tail[at + 4] !== 0) continue;
    const segments = tail[at + 26];
    let end = at + OGG_PAGE_HEADER + segments;
    for (let i = 0; i < segments && end <= tail.length; i++) end += tail[at + OGG_PAGE_HEADER + i];
    const complete = end <= tail.length;
    if (completeEnd === undefined && complete) ended = (tail[at + 5] & OGG_END_OF_STREAM) !== 0;
    completeEnd ??= tailStart + (complete ? end : at);
    if (!complete || v.getUint32(at + 14, true) !== serial) continue;
    const granule = v.getBigInt64(at + 6, true);
    if (granule >= 0n) lastGranule = Number(granule); // -1: no packet ends on this page
  }
  return { completeEnd: completeEnd ?? file.size, lastGranule, ended };
}
