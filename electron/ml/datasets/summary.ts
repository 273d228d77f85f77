import type { Dataset, DatasetConvention, DatasetItem, Gender } from './types.ts';

/** Fewer clips than this in a class is flagged: too few to learn it or to measure it. */
export const DEFAULT_MIN_CLIPS_PER_LABEL = 20;

export type GenderOrUnknown = Gender | 'unknown';

export interface DurationStats {
  /** Clips whose headers state a duration. */
  clips: number;
  totalSec: number;
  minSec: number;
  meanSec: number;
  medianSec: number;
  maxSec: number;
}

export interface DatasetSummary {
  root: string;
  convention: DatasetConvention;
  clips: number;
  rejected: number;
  minClipsPerLabel: number;
  labels: { label: string; clips: number; durations: DurationStats | null; tooFew: boolean }[];
  /** In natural order (speaker 2 before 10); a speaker of both genders in a CSV counts as unknown. */
  speakers: { speaker: string; gender: GenderOrUnknown; clips: number }[];
  clipsWithoutSpeaker: number;
  genders: { gender: GenderOrUnknown; clips: number; speakers: number }[];
  durations: DurationStats | null;
  /** Labels with fewer than minClipsPerLabel clips. */
  tooFew: string[];
  /** Present when the clips come from more than one corpus: the classes each has are what training masks by. */
  corpora?: { corpus: string; clips: number; labels: string[]; speakers: number }[];
}

/** Counts clips per label, speaker and gender, with duration statistics, for a report or a model's metadata. */
export function summariseDataset(dataset: Dataset, options: { minClipsPerLabel?: number } = {}): DatasetSummary {
  const minClipsPerLabel = options.minClipsPerLabel ?? DEFAULT_MIN_CLIPS_PER_LABEL;
  const labels = dataset.labels.map((label) => {
    const items = dataset.items.filter((i) => i.label === label);
    return { label, clips: items.length, durations: durationStats(items), tooFew: items.length < minClipsPerLabel };
  });
  const speakers = speakerRows(dataset.items);
  const genders = (['male', 'female', 'unknown'] as const)
    .map((gender) => ({
      gender,
      clips: dataset.items.filter((i) => (i.gender ?? 'unknown') === gender).length,
      speakers: speakers.filter((s) => s.gender === gender).length,
    }))
    .filter((g) => g.clips > 0);
  return {
    root: dataset.root,
    convention: dataset.convention,
    clips: dataset.items.length,
    rejected: dataset.rejected.length,
    minClipsPerLabel,
    labels,
    speakers,
    clipsWithoutSpeaker: dataset.items.filter((i) => i.speaker === undefined).length,
    genders,
    durations: durationStats(dataset.items),
    tooFew: labels.filter((l) => l.tooFew).map((l) => l.label),
    ...corpusRows(dataset),
  };
}

function corpusRows(dataset: Dataset): Pick<DatasetSummary, 'corpora'> {
  const names = [...new Set(dataset.items.map((i) => i.corpus))];
  if (names.length < 2) return {};
  return {
    corpora: names.map((corpus) => {
      const items = dataset.items.filter((i) => i.corpus === corpus);
      return {
        corpus: corpus ?? 'unnamed',
        clips: items.length,
        labels: dataset.labels.filter((l) => items.some((i) => i.label === l)),
        speakers: new Set(items.flatMap((i) => (i.speaker === undefined ? [] : [i.speaker]))).size,
      };
    }),
  };
}

function speakerRows(items: readonly DatasetItem[]): DatasetSummary['speakers'] {
  const bySpeaker = new Map<string, { clips: number; genders: Set<GenderOrUnknown> }>();
  for (const item of items) {
    if (item.speaker === undefined) continue;
    const row = bySpeaker.get(item.speaker) ?? { clips: 0, genders: new Set() };
    row.clips++;
    row.genders.add(item.gender ?? 'unknown');
    bySpeaker.set(item.speaker, row);
  }
  return [...bySpeaker]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([speaker, { clips, genders }]) => ({ speaker, gender: genders.size === 1 ? [...genders][0] : 'unknown', clips }));
}

function durationStats(items: readonly DatasetItem[]): DurationStats | null {
  const seconds = items.flatMap((i) => (i.durationSec === undefined ? [] : [i.durationSec])).sort((a, b) => a - b);
  if (seconds.length === 0) return null;
  const total = seconds.reduce((a, b) => a + b, 0);
  const mid = seconds.length >> 1;
  return {
    clips: seconds.length,
    totalSec: total,
    minSec: seconds[0],
    meanSec: total / seconds.length,
    medianSec: seconds.length % 2 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2,
    maxSec: seconds[seconds.length - 1],
  };
}
