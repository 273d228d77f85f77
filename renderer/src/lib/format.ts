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

/** "1 clip", "2 clips": a count with its noun in the right number. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Keys whose words camelCase or snake_case cannot spell out. */
const METADATA_LABELS: Record<string, string> = { createdAt: 'Created', baseModel: 'Base model', data: 'Data set', folder: 'Folder', ece: 'Calibration error (ECE)' };

/** A model metadata key as people read it: "baseModel" and "base_model" are "Base model". */
export function metadataLabel(key: string): string {
  const known = METADATA_LABELS[key];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const SHARE_KEY = /accuracy|precision|recall/i;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/**
 * A metadata value in the UI's formats: accuracies stored as fractions ("0.4917") read as the percents the
 * model cards use ("49.2%"), times as local dates; everything else as it is.
 */
export function formatMetadataValue(key: string, value: string | number): string {
  const number = typeof value === 'number' ? value : /^-?\d*\.?\d+$/.test(value.trim()) ? Number(value) : null;
  if (number !== null && SHARE_KEY.test(key) && number >= 0 && number <= 1) return `${(number * 100).toFixed(1)}%`;
  if (typeof value === 'string' && ISO_TIME.test(value)) {
    const time = new Date(value);
    if (!Number.isNaN(time.getTime())) return time.toLocaleString();
  }
  return String(value);
}
