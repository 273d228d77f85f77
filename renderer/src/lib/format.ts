/** How numbers read in the UI: durations as m:ss.s, confidences as whole percents. */

export function formatDuration(seconds: number | null | undefined, decimals = 1): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const minutes = Math.floor(seconds / 60);
  const rest = seconds - minutes * 60;
  const width = decimals > 0 ? decimals + 3 : 2;
  return `${minutes}:${rest.toFixed(decimals).padStart(width, '0')}`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** A file name for an export, stamped with the local date and time so repeated exports do not collide. */
export function exportFileName(kind: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  return `ser-${kind}-${stamp}.csv`;
}

/** `file` inside `folder`, with the folder's own separator (Windows paths use backslashes). */
export function joinPath(folder: string, file: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(separator) ? folder + file : folder + separator + file;
}

const AUDIO_FILE = /\.(wav|flac|mp3|ogg|oga|opus|m4a|aac|webm)$/i;

/** Whether a library entry is a single audio file rather than a folder. */
export function isAudioFile(path: string): boolean {
  return AUDIO_FILE.test(path);
}

/** A model version as people read it: trained models are versioned by their creation time, shown as its date. */
export function formatModelVersion(version: string): string {
  const time = /^\d{4}-\d\d-\d\dT/.test(version) ? new Date(version) : null;
  return time && !Number.isNaN(time.getTime()) ? time.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : version;
}
