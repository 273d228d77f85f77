/** MSB-first bit reading over one buffer, as FLAC frames are packed. */

/** Thrown when a read runs past the bytes held: the frame continues in input not yet received. */
export class OutOfData extends Error {
  constructor() {
    super('FLAC frame runs past the bytes available');
  }
}

const OUT_OF_DATA = new OutOfData();

export class BitReader {
  private bitPos: number;
  private readonly endBits: number;

  constructor(
    private readonly bytes: Uint8Array,
    byteOffset = 0,
  ) {
    this.bitPos = byteOffset * 8;
    this.endBits = bytes.length * 8;
  }

  /** The byte the next read starts in (the whole byte once aligned). */
  get bytePos(): number {
    return this.bitPos >>> 3;
  }

  /** Unsigned value of the next n bits, n from 0 to 32. */
  read(n: number): number {
    if (n === 0) return 0;
    if (this.bitPos + n > this.endBits) throw OUT_OF_DATA;
    if (n <= 24) {
      // One big-endian word holds the 24 bits plus up to 7 bits of offset; bytes past the end read as 0.
      const b = this.bytes;
      const i = this.bitPos >>> 3;
      const word = (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
      const value = (word << (this.bitPos & 7)) >>> (32 - n);
      this.bitPos += n;
      return value;
    }
    let value = 0;
    let pos = this.bitPos;
    let left = n;
    while (left > 0) {
      const bitInByte = pos & 7;
      const take = Math.min(8 - bitInByte, left);
      const bits = (this.bytes[pos >>> 3] >>> (8 - bitInByte - take)) & ((1 << take) - 1);
      // Multiplication, not <<, so 32-bit values stay unsigned.
      value = value * (1 << take) + bits;
      pos += take;
      left -= take;
    }
    this.bitPos = pos;
    return value;
  }

  /** Two's-complement value of the next n bits, n from 0 to 32. */
  readSigned(n: number): number {
    if (n === 0) return 0;
    const value = this.read(n);
    return value >= 2 ** (n - 1) ? value - 2 ** n : value;
  }

  /** Counts zero bits up to and past the next 1 bit (the unary code of Rice and wasted-bits fields). */
  readUnary(): number {
    let count = 0;
    for (;;) {
      if (this.bitPos >= this.endBits) throw OUT_OF_DATA;
      const bitInByte = this.bitPos & 7;
      const rest = (this.bytes[this.bitPos >>> 3] << bitInByte) & 0xff;
      if (rest === 0) {
        count += 8 - bitInByte;
        this.bitPos += 8 - bitInByte;
        continue;
      }
      const zeros = Math.clz32(rest) - 24;
      count += zeros;
      this.bitPos += zeros + 1;
      return count;
    }
  }

  alignToByte(): void {
    this.bitPos = (this.bitPos + 7) & ~7;
    if (this.bitPos > this.endBits) throw OUT_OF_DATA;
  }
}
