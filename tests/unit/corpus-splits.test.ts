/** Speaker folds of one corpus of a union: the other corpora join every fold's training side, never its test side. */
import { describe, expect, it } from 'vitest';
import type { DatasetItem } from '../../electron/ml/datasets/index.ts';
import { makeSplit, SplitError } from '../../electron/ml/splits.ts';

/** speakers speakers of corpus, alternately male and female, two clips of each label each, ids named as a union names them. */
function corpus(name: string, speakers: number, labels: readonly string[]): DatasetItem[] {
  return Array.from({ length: speakers }, (_, s) => s + 1).flatMap((s) =>
    labels.flatMap((label) =>
      [1, 2].map((take) => ({ path: `/${name}/${s}-${label}-${take}.wav`, label, speaker: `${name}:${s}`, gender: s % 2 ? ('male' as const) : ('female' as const), corpus: name })),
    ),
  );
}

const ravdess = corpus('ravdess', 8, ['calm', 'angry', 'sad']);
const nemo = corpus('nemo', 4, ['angry', 'sad']);
const speakersOf = (items: readonly DatasetItem[]) => [...new Set(items.map((i) => i.speaker))].sort();

describe('leaving one corpus out', () => {
  it('tests on every clip of it, validates on speakers of the others, and trains on none of it', () => {
    const split = makeSplit([...ravdess, ...nemo], { protocol: 'corpus', seed: 7, heldOut: 'nemo' });
    expect(split.test).toHaveLength(nemo.length);
    expect(split.speakers?.test).toEqual(speakersOf(nemo));
    expect([...split.train, ...split.validation].every((i) => i.corpus === 'ravdess')).toBe(true);
    expect(split.train.length + split.validation.length).toBe(ravdess.length);
    expect(split.speakers?.validation).toHaveLength(2);
    expect(() => makeSplit(ravdess, { protocol: 'corpus', seed: 7, heldOut: 'nemo' })).toThrow(/needs clips of it and of another corpus/);
  });
});

describe('speaker folds of one corpus in a union', () => {
  it('tests each fold on that corpus’s speakers only, trains on all of the other corpus, and validates as without it', () => {
    const tested: string[] = [];
    for (let fold = 1; fold <= 4; fold++) {
      const split = makeSplit([...ravdess, ...nemo], { protocol: 'speaker', seed: 7, folds: 4, fold, foldCorpus: 'ravdess' });
      const alone = makeSplit(ravdess, { protocol: 'speaker', seed: 7, folds: 4, fold });
      expect(split.test.every((i) => i.corpus === 'ravdess')).toBe(true);
      expect(split.validation.every((i) => i.corpus === 'ravdess')).toBe(true);
      expect(split.train.filter((i) => i.corpus === 'nemo')).toHaveLength(nemo.length);
      // The same test and validation speakers as the corpus split alone: its fold figures stay comparable.
      expect(split.speakers?.test).toEqual(alone.speakers?.test);
      expect(split.speakers?.validation).toEqual(alone.speakers?.validation);
      expect(speakersOf(split.train)).toEqual([...(alone.speakers?.train ?? []), ...speakersOf(nemo)].sort());
      expect(split.description).toBe(`speaker fold ${fold} of 4, folds of ravdess, the other corpora always training (seed 7)`);
      tested.push(...(split.speakers?.test ?? []));
    }
    expect(tested.sort()).toEqual(speakersOf(ravdess));
  });

  it('refuses a corpus the data does not have', () => {
    expect(() => makeSplit([...ravdess, ...nemo], { protocol: 'speaker', seed: 7, folds: 4, fold: 1, foldCorpus: 'crema-d' })).toThrow(SplitError);
    expect(() => makeSplit([...ravdess, ...nemo], { protocol: 'speaker', seed: 7, folds: 4, fold: 1, foldCorpus: 'crema-d' })).toThrow(/no clips of corpus crema-d/);
  });
});
