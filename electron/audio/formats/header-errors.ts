/** The errors detection and the readers raise for a header they cannot use. */
import type { AudioFile } from '../audio-file.ts';
import { AudioDecodeError } from '../errors.ts';

export function unsupportedFormat(file: AudioFile, what: string): AudioDecodeError {
  return new AudioDecodeError(file.path, 'unsupported-codec', `unsupported audio format: ${what}`);
}

export function truncatedHeader(file: AudioFile, what: string, needed: number): AudioDecodeError {
  return new AudioDecodeError(file.path, 'truncated', `truncated ${what} header (${file.size} of ${needed} bytes)`);
}
