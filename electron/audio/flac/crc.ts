/** The two checksums a FLAC frame carries: CRC-8 (poly 0x07) over its header, CRC-16 (poly 0x8005) over all of it. */

function table(poly: number, width: number): Uint16Array {
  const top = 1 << (width - 1);
  const mask = (1 << width) - 1;
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << (width - 8);
    for (let bit = 0; bit < 8; bit++) crc = crc & top ? ((crc << 1) ^ poly) & mask : (crc << 1) & mask;
    t[i] = crc;
  }
  return t;
}

const CRC8 = table(0x07, 8);
const CRC16 = table(0x8005, 16);

export function crc8(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = CRC8[crc ^ bytes[i]];
  return crc;
}

export function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >>> 8) ^ bytes[i]];
  return crc;
}
