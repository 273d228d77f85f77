/** One channel's subframe (RFC 9639 section 9.2): CONSTANT, VERBATIM, FIXED or LPC, with wasted bits. */
import type { BitReader } from './bit-reader.ts';
import { FlacFormatError } from './errors.ts';

/** Decodes a subframe of `blockSize` samples at `bitsPerSample` into `out`. */
export function readSubframe(reader: BitReader, blockSize: number, bitsPerSample: number, out: Int32Array): void {
  if (reader.read(1) !== 0) throw new FlacFormatError('subframe padding bit is set');
  const type = reader.read(6);
  const wasted = reader.read(1) ? reader.readUnary() + 1 : 0;
  const bits = bitsPerSample - wasted;
  if (bits < 1) throw new FlacFormatError(`subframe wastes ${wasted} of ${bitsPerSample} bits`);
  if (bits > 32) throw new FlacFormatError(`subframes of ${bits} bits are not supported`);

  if (type === 0) {
    out.fill(reader.readSigned(bits), 0, blockSize);
  } else if (type === 1) {
    for (let i = 0; i < blockSize; i++) out[i] = reader.readSigned(bits);
  } else if (type >= 8 && type <= 12) {
    const order = type - 8;
    readWarmUp(reader, order, bits, blockSize, out);
    readResidual(reader, order, blockSize, out);
    predictFixed(order, blockSize, out);
  } else if (type >= 32) {
    const order = type - 31;
    readWarmUp(reader, order, bits, blockSize, out);
    const precision = reader.read(4) + 1;
    if (precision === 16) throw new FlacFormatError('invalid LPC coefficient precision');
    const shift = reader.readSigned(5);
    if (shift < 0) throw new FlacFormatError('negative LPC shift');
    const coefs = new Float64Array(order);
    for (let j = 0; j < order; j++) coefs[j] = reader.readSigned(precision);
    readResidual(reader, order, blockSize, out);
    predictLpc(coefs, shift, blockSize, out);
  } else {
    throw new FlacFormatError(`reserved subframe type ${type}`);
  }
  if (wasted > 0) for (let i = 0; i < blockSize; i++) out[i] <<= wasted;
}

function readWarmUp(reader: BitReader, order: number, bits: number, blockSize: number, out: Int32Array): void {
  if (order > blockSize) throw new FlacFormatError(`predictor order ${order} exceeds block size ${blockSize}`);
  for (let i = 0; i < order; i++) out[i] = reader.readSigned(bits);
}

/** Rice-coded residual into out[order..blockSize), partitioned, with escape (verbatim) partitions. */
function readResidual(reader: BitReader, order: number, blockSize: number, out: Int32Array): void {
  const method = reader.read(2);
  if (method > 1) throw new FlacFormatError(`reserved residual coding method ${method}`);
  const paramBits = method === 0 ? 4 : 5;
  const escape = (1 << paramBits) - 1;
  const partitionOrder = reader.read(4);
  const partitions = 1 << partitionOrder;
  const perPartition = blockSize >>> partitionOrder;
  if (perPartition << partitionOrder !== blockSize || perPartition < order) {
    throw new FlacFormatError(`residual partition order ${partitionOrder} does not fit block size ${blockSize}`);
  }
  let i = order;
  for (let p = 0; p < partitions; p++) {
    const end = (p + 1) * perPartition;
    const param = reader.read(paramBits);
    if (param === escape) {
      const rawBits = reader.read(5);
      for (; i < end; i++) out[i] = reader.readSigned(rawBits);
    } else {
      const scale = 2 ** param;
      for (; i < end; i++) {
        const folded = reader.readUnary() * scale + reader.read(param);
        // Zigzag (0, -1, 1, -2, ...); a folded value of a 32-bit residual fits 32 unsigned bits.
        out[i] = (folded >>> 1) ^ -(folded & 1);
      }
    }
  }
}

/** out holds warm-up then residual; turns the residual into samples in place. */
function predictFixed(order: number, blockSize: number, out: Int32Array): void {
  switch (order) {
    case 1:
      for (let i = 1; i < blockSize; i++) out[i] += out[i - 1];
      break;
    case 2:
      for (let i = 2; i < blockSize; i++) out[i] += 2 * out[i - 1] - out[i - 2];
      break;
    case 3:
      for (let i = 3; i < blockSize; i++) out[i] += 3 * (out[i - 1] - out[i - 2]) + out[i - 3];
      break;
    case 4:
      for (let i = 4; i < blockSize; i++) out[i] += 4 * (out[i - 1] + out[i - 3]) - 6 * out[i - 2] - out[i - 4];
      break;
  }
}

/** Sums in doubles: exact to 2^53, more than 32 coefficients of 15 bits times 33-bit samples need. */
function predictLpc(coefs: Float64Array, shift: number, blockSize: number, out: Int32Array): void {
  const order = coefs.length;
  const divisor = 2 ** shift;
  for (let i = order; i < blockSize; i++) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum += coefs[j] * out[i - 1 - j];
    out[i] += Math.floor(sum / divisor);
  }
}
