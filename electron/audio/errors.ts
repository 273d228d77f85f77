/**
 * Why a file could not be turned into samples:
 * - empty: the file has no bytes.
 * - truncated: the file ends inside a header the decoder needs.
 * - not-audio: no audio format recognised from the magic bytes (a text file, an image).
 * - no-samples: the header is fine but decoding yields no samples.
 * - non-finite: a decoded sample is NaN or ±Infinity.
 * - unsupported-codec: a recognised container or format tag this app cannot decode (ADPCM, AAC, ...).
 * - unreadable: the operating system refused the read (missing, permission, a directory) or a
 *   decoder failed on the stream's contents.
 */
export type AudioErrorReason =
  | 'empty'
  | 'truncated'
  | 'not-audio'
  | 'no-samples'
  | 'non-finite'
  | 'unsupported-codec'
  | 'unreadable';

/** A file that cannot be decoded. Its message is one line, `${file}: ${what is wrong}`, fit for a log or a dialog. */
export class AudioDecodeError extends Error {
  override readonly name = 'AudioDecodeError';

  constructor(
    readonly file: string,
    readonly reason: AudioErrorReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${oneLine(detail)}`, options);
  }
}

/** Collapses line breaks so messages from decoders and the OS stay on one line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, '; ').trim();
}

/**
 * The warning for a file that decodes to less audio than its header declares (cut short, or a
 * stretch lost to a bad page or frame): the audio that is there is still used, so say how much.
 */
export function truncatedWarning(decodedSec: number, declaredSec: number): string {
  return `truncated: ${decodedSec.toFixed(1)} s of ${declaredSec.toFixed(1)} s`;
}

/** Maps an fs error (ENOENT, EACCES, EISDIR, ...) to an AudioDecodeError naming the file. */
export function unreadableError(file: string, err: unknown): AudioDecodeError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const detail =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot read file (${err instanceof Error ? err.message : String(err)})`;
  return new AudioDecodeError(file, 'unreadable', detail, { cause: err });
}
