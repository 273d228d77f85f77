/**
 * What a failed <audio> or play() means to a person. The browser's own text is media-pipeline jargon
 * ("PipelineStatus::DEMUXER_ERROR_COULD_NOT_PARSE: FFmpegDemuxer: PTS is not defined"), so it is never shown.
 */

/** MediaError's codes (the constants live on the interface, which a plain object from a test lacks). */
const MEDIA_ERR_ABORTED = 1;
const MEDIA_ERR_NETWORK = 2;
const MEDIA_ERR_DECODE = 3;
const MEDIA_ERR_SRC_NOT_SUPPORTED = 4;

/** A short sentence for a playback failure; null for one that is no failure (a play() cut short by a pause). */
export function playbackErrorMessage(error: unknown): string | null {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  const name = error instanceof Error || error instanceof DOMException ? error.name : undefined;
  if (name === 'AbortError') return null;
  if (name === 'NotAllowedError') return 'The browser blocked playback: press Play again to start it.';
  if (code === MEDIA_ERR_ABORTED) return null;
  if (code === MEDIA_ERR_NETWORK) return 'The audio stopped loading: check that SER Studio is still running.';
  if (code === MEDIA_ERR_DECODE) return 'The audio could not be decoded for playback.';
  if (code === MEDIA_ERR_SRC_NOT_SUPPORTED || name === 'NotSupportedError') return 'This recording could not be played: reopen it to try again.';
  return 'The audio could not be played.';
}
