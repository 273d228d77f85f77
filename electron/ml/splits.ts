/**
 * How a data set is divided into training, validation (early stopping) and test clips, honestly:
 * - files with the same content are one clip (deduplicate first), so no test clip was heard in training;
 * - augmented copies are made after the split, for training clips only, so a clip and its copies
 *   are always on one side;
 * - the speaker-independent protocol holds whole speakers out (k folds by speaker), and early
 *   stopping watches speakers of the training folds, never the test fold.
 * Every choice is drawn from the run's seed: the same seed gives the same split.
 */
import { createRandom, deriveSeed, shuffled } from '../shared/random.ts';
import type { DatasetItem } from './datasets/index.ts';

export type SplitProtocol = 'random' | 'speaker';

export const SPLIT_PROTOCOLS: readonly SplitProtocol[] = ['random', 'speaker'];

/** What a training run is asked to split; plain JSON, so it travels to a worker and into metadata. */
export type SplitSpec =
  /** Stratified by label: each class contributes validation and test shares of its clips. */
  | { protocol: 'random'; seed: number; validationFraction?: number; testFraction?: number }
  /**
   * Speakers of fold `fold` (1-based) are the test set; the others train, minus a few validation speakers.
   * With foldCorpus (a union of corpora), folds and validation speakers are that corpus's, and every
   * other corpus's clips train: a second corpus joins each fold's training side, never its test side.
   */
  | { protocol: 'speaker'; seed: number; folds: number; fold: number; validationSpeakerFraction?: number; foldCorpus?: string }
  /**
   * Leave one corpus out: every clip of corpus heldOut is the test set; the other corpora train,
   * minus a few validation speakers. Its test figures are over heldOut's classes (see train.ts).
   */
  | { protocol: 'corpus'; seed: number; heldOut: string; validationSpeakerFraction?: number }
  /** Every speaker trains except a few validation speakers; no test set (the final model of the speaker protocol). */
  | { protocol: 'all-speakers'; seed: number; validationSpeakerFraction?: number };

export interface DataSplit<T extends DatasetItem = DatasetItem> {
  /** For people and metadata, e.g. "speaker fold 2 of 4 (seed 42)". */
  description: string;
  spec: SplitSpec;
  train: T[];
  validation: T[];
  test: T[];
  /** Speakers on each side; present for the speaker protocols. */
  speakers?: { train: string[]; validation: string[]; test: string[] };
  /** Clips a speaker protocol cannot place because they name no speaker. */
  withoutSpeaker: number;
}

export const DEFAULT_VALIDATION_FRACTION = 0.1;
export const DEFAULT_TEST_FRACTION = 0.1;
export const DEFAULT_FOLDS = 4;
/** Of the training speakers, this share (at least one) watches for early stopping. */
export const DEFAULT_VALIDATION_SPEAKER_FRACTION = 0.2;

export class SplitError extends Error {
  override readonly name = 'SplitError';
}

export interface Deduplicated<T extends DatasetItem> {
  items: T[];
  /** Files left out because an earlier file (by path) has the same content and label. */
  duplicates: { path: string; sameAs: string }[];
  /** Files whose content appears under more than one label: all copies are left out, since the label is in doubt. */
  conflicts: { paths: string[]; labels: string[] }[];
}

/** Keeps one file per content hash (the first by path); content labelled two ways is left out altogether. */
export function deduplicate<T extends DatasetItem>(items: readonly T[], hashOf: (item: T) => string): Deduplicated<T> {
  const groups = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => compare(a.path, b.path))) {
    const hash = hashOf(item);
    const group = groups.get(hash);
    if (group) group.push(item);
    else groups.set(hash, [item]);
  }
  const out: Deduplicated<T> = { items: [], duplicates: [], conflicts: [] };
  for (const group of groups.values()) {
    const labels = [...new Set(group.map((i) => i.label))];
    if (labels.length > 1) {
      out.conflicts.push({ paths: group.map((i) => i.path), labels });
      continue;
    }
    out.items.push(group[0]);
    for (const other of group.slice(1)) out.duplicates.push({ path: other.path, sameAs: group[0].path });
  }
  const keep = new Set(out.items);
  out.items = items.filter((i) => keep.has(i));
  return out;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

function checkFraction(name: string, value: number): void {
  if (!(value >= 0 && value < 1)) throw new SplitError(`${name} must be at least 0 and below 1, got ${value}`);
}

/** Splits as the spec says. Items are identified by path; the input order does not matter. */
export function makeSplit<T extends DatasetItem>(items: readonly T[], spec: SplitSpec): DataSplit<T> {
  switch (spec.protocol) {
    case 'random':
      return randomSplit(items, spec);
    case 'speaker':
      return speakerFoldSplit(items, spec);
    case 'all-speakers':
      return allSpeakersSplit(items, spec);
    case 'corpus':
      return corpusHeldOutSplit(items, spec);
  }
}

/**
 * Stratified random split: each label's clips, shuffled, give round(n × testFraction) to test and
 * round(n × validationFraction) to validation, so every side holds each class within one clip of
 * its exact share.
 */
export function randomSplit<T extends DatasetItem>(items: readonly T[], spec: Extract<SplitSpec, { protocol: 'random' }>): DataSplit<T> {
  const validationFraction = spec.validationFraction ?? DEFAULT_VALIDATION_FRACTION;
  const testFraction = spec.testFraction ?? DEFAULT_TEST_FRACTION;
  checkFraction('validation fraction', validationFraction);
  checkFraction('test fraction', testFraction);
  if (validationFraction + testFraction >= 1) throw new SplitError('validation and test fractions must leave clips to train on');
  const split: DataSplit<T> = { description: '', spec, train: [], validation: [], test: [], withoutSpeaker: 0 };
  const byLabel = groupBy(items, (i) => i.label);
  for (const label of [...byLabel.keys()].sort(compare)) {
    const group = shuffled(
      byLabel.get(label)!.sort((a, b) => compare(a.path, b.path)),
      createRandom(deriveSeed(spec.seed, 'random-split', label)),
    );
    const nTest = Math.round(group.length * testFraction);
    const nValidation = Math.round(group.length * validationFraction);
    split.test.push(...group.slice(0, nTest));
    split.validation.push(...group.slice(nTest, nTest + nValidation));
    split.train.push(...group.slice(nTest + nValidation));
  }
  const pct = (f: number) => Math.round(f * 100);
  split.description = `random stratified ${pct(1 - validationFraction - testFraction)}/${pct(validationFraction)}/${pct(testFraction)} (seed ${spec.seed})`;
  return split;
}

/**
 * The speakers of each fold. Speakers are shuffled by the seed, then dealt round-robin one gender
 * after the other, so folds differ in size by at most one speaker and each holds both genders
 * where the data allows.
 */
export function speakerFolds(items: readonly DatasetItem[], folds: number, seed: number): string[][] {
  if (!Number.isInteger(folds) || folds < 2) throw new SplitError(`folds must be a whole number of at least 2, got ${folds}`);
  const speakers = speakerGenders(items);
  if (speakers.size < folds) throw new SplitError(`${folds} folds need at least ${folds} speakers, the data has ${speakers.size}`);
  const order = shuffled([...speakers.keys()].sort(naturalOrder), createRandom(deriveSeed(seed, 'speaker-folds')));
  const rank = (s: string) => ['male', 'female', 'unknown'].indexOf(speakers.get(s)!);
  order.sort((a, b) => rank(a) - rank(b)); // stable: keeps the shuffled order within a gender
  const out: string[][] = Array.from({ length: folds }, () => []);
  order.forEach((speaker, i) => out[i % folds].push(speaker));
  return out.map((fold) => fold.sort(naturalOrder));
}

/** Speaker-independent fold: the fold's speakers are the test set; validation speakers come from the rest. */
export function speakerFoldSplit<T extends DatasetItem>(items: readonly T[], spec: Extract<SplitSpec, { protocol: 'speaker' }>): DataSplit<T> {
  const folded = spec.foldCorpus === undefined ? items : items.filter((i) => i.corpus === spec.foldCorpus);
  if (folded.length === 0) throw new SplitError(`no clips of corpus ${spec.foldCorpus} to make speaker folds of`);
  const folds = speakerFolds(folded, spec.folds, spec.seed);
  if (!Number.isInteger(spec.fold) || spec.fold < 1 || spec.fold > spec.folds) {
    throw new SplitError(`fold must be a whole number from 1 to ${spec.folds}, got ${spec.fold}`);
  }
  const test = folds[spec.fold - 1];
  const rest = folds.filter((_, i) => i !== spec.fold - 1).flat();
  // Drawn as without the other corpora, so the folded corpus's folds watch the same validation speakers either way.
  const validation = validationSpeakers(folded, rest, spec.validationSpeakerFraction, deriveSeed(spec.seed, 'validation-speakers', spec.fold));
  const joined = spec.foldCorpus === undefined ? '' : `, folds of ${spec.foldCorpus}, the other corpora always training`;
  return speakerSplit(items, spec, `speaker fold ${spec.fold} of ${spec.folds}${joined} (seed ${spec.seed})`, test, validation);
}

/** Every speaker trains but the validation speakers; nothing is held out for testing. */
export function allSpeakersSplit<T extends DatasetItem>(items: readonly T[], spec: Extract<SplitSpec, { protocol: 'all-speakers' }>): DataSplit<T> {
  const all = [...speakerGenders(items).keys()].sort(naturalOrder);
  if (all.length < 2) throw new SplitError(`training with validation speakers needs at least 2 speakers, the data has ${all.length}`);
  const validation = validationSpeakers(items, all, spec.validationSpeakerFraction, deriveSeed(spec.seed, 'validation-speakers', 'all'));
  return speakerSplit(items, spec, `all speakers, validation speakers held out (seed ${spec.seed})`, [], validation);
}

/** All of one corpus is the test set; validation speakers come from the other corpora. */
export function corpusHeldOutSplit<T extends DatasetItem>(items: readonly T[], spec: Extract<SplitSpec, { protocol: 'corpus' }>): DataSplit<T> {
  const test = items.filter((i) => i.corpus === spec.heldOut);
  const rest = items.filter((i) => i.corpus !== spec.heldOut);
  if (test.length === 0 || rest.length === 0) throw new SplitError(`leaving corpus ${spec.heldOut} out needs clips of it and of another corpus`);
  const speakers = [...speakerGenders(rest).keys()].sort(naturalOrder);
  const validation = validationSpeakers(rest, speakers, spec.validationSpeakerFraction, deriveSeed(spec.seed, 'validation-speakers', 'corpus', spec.heldOut));
  const split = speakerSplit(rest, spec, `corpus ${spec.heldOut} held out (seed ${spec.seed})`, [], validation);
  split.test = test;
  split.speakers = { ...split.speakers!, test: [...new Set(test.flatMap((i) => (i.speaker === undefined ? [] : [i.speaker])))].sort(naturalOrder) };
  return split;
}

function speakerSplit<T extends DatasetItem>(items: readonly T[], spec: SplitSpec, description: string, test: string[], validation: string[]): DataSplit<T> {
  const testSet = new Set(test);
  const validationSet = new Set(validation);
  const split: DataSplit<T> = { description, spec, train: [], validation: [], test: [], withoutSpeaker: 0 };
  const trainSpeakers = new Set<string>();
  for (const item of items) {
    if (item.speaker === undefined) split.withoutSpeaker++;
    else if (testSet.has(item.speaker)) split.test.push(item);
    else if (validationSet.has(item.speaker)) split.validation.push(item);
    else {
      split.train.push(item);
      trainSpeakers.add(item.speaker);
    }
  }
  split.speakers = { train: [...trainSpeakers].sort(naturalOrder), validation: [...validation].sort(naturalOrder), test: [...test] };
  return split;
}

/**
 * round(fraction × candidates) speakers (at least one, leaving at least one to train), taken
 * alternately from each gender of the shuffled candidates so validation hears both where it can.
 */
function validationSpeakers(items: readonly DatasetItem[], candidates: readonly string[], fraction = DEFAULT_VALIDATION_SPEAKER_FRACTION, seed: number): string[] {
  checkFraction('validation speaker fraction', fraction);
  if (candidates.length < 2) throw new SplitError('a validation speaker needs at least 2 training speakers');
  const count = Math.min(candidates.length - 1, Math.max(1, Math.round(candidates.length * fraction)));
  const genders = speakerGenders(items);
  const byGender = groupBy(shuffled([...candidates].sort(naturalOrder), createRandom(seed)), (s) => genders.get(s)!);
  const queues = [...byGender.keys()].sort(compare).map((g) => byGender.get(g)!);
  const out: string[] = [];
  for (let turn = 0; out.length < count; turn++) {
    const queue = queues[turn % queues.length];
    if (queue.length > 0) out.push(queue.shift()!);
  }
  return out;
}

/** Each speaker's gender; a speaker with clips of both genders, or none stated, is 'unknown'. */
function speakerGenders(items: readonly DatasetItem[]): Map<string, 'male' | 'female' | 'unknown'> {
  const out = new Map<string, 'male' | 'female' | 'unknown'>();
  for (const item of items) {
    if (item.speaker === undefined) continue;
    const gender = item.gender ?? 'unknown';
    const known = out.get(item.speaker);
    out.set(item.speaker, known === undefined || known === gender ? gender : 'unknown');
  }
  return out;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export interface SplitSummary {
  description: string;
  spec: SplitSpec;
  /** Clips per side and label (original clips: augmented copies are not counted). */
  clips: Record<'train' | 'validation' | 'test', Record<string, number>>;
  speakers?: DataSplit['speakers'];
  withoutSpeaker: number;
}

/** What a model's metadata records of its split. */
export function summariseSplit(split: DataSplit): SplitSummary {
  const count = (side: readonly DatasetItem[]) => {
    const out: Record<string, number> = {};
    for (const item of side) out[item.label] = (out[item.label] ?? 0) + 1;
    return out;
  };
  return {
    description: split.description,
    spec: split.spec,
    clips: { train: count(split.train), validation: count(split.validation), test: count(split.test) },
    ...(split.speakers ? { speakers: split.speakers } : {}),
    withoutSpeaker: split.withoutSpeaker,
  };
}
