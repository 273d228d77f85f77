/** The channels between preload and main; preload.cts repeats them (it cannot import local modules). */
export const IPC = {
  call: 'ser:call',
  event: 'ser:event',
  pickFolder: 'ser:pick-folder',
  pickFiles: 'ser:pick-files',
  pickSavePath: 'ser:pick-save-path',
  reveal: 'ser:reveal',
} as const;

export const MEDIA_SCHEME = 'ser-media';

/** ser-media://recording/<id>: a standard scheme needs a host; the id is the path. */
export function mediaUrl(recordingId: number): string {
  return `${MEDIA_SCHEME}://recording/${recordingId}`;
}
