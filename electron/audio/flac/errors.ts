/** A FLAC stream that breaks the format (bad sync, reserved codes, CRC mismatch): decoding it stops there. */
export class FlacFormatError extends Error {
  override readonly name = 'FlacFormatError';
}
