import { describe, expect, it } from 'vitest';
import type { DatasetItem } from '../../electron/ml/datasets/index.ts';
import { allSpeakersSplit, deduplicate, makeSplit, randomSplit, speakerFoldSplit, speakerFolds, SplitError, type DataSplit } from '../../electron/ml/splits.ts';

/** RAVDESS-like: speakers 1..n (odd male), each with clipsPerLabel clips of every label. */
function corpus(speakers: number, labels: readonly string[], clipsPerLabel: number): DatasetItem[] {
  const items: DatasetItem[] = [];
  for (let s = 1; s <= speakers; s++) {
    for (const label of labels) {
      for (let k = 0; k < clipsPerLabel; k++) {
        items.push({ path: `/data/${s}/${label}-${k}.wav`, label, speaker: String(s), gender: s % 2 === 1 ? 'male' : 'female' });
      }
    }
  }
  return items;
}

const sides = (split: DataSplit) => [split.train, split.validation, split.test];
const paths = (items: readonly DatasetItem[]) => items.map((i) => i.path).sort();
const speakersOf = (items: readonly DatasetItem[]) => new Set(items.map((i) => i.speaker));

describe('deduplicate', () => {
  it('keeps the first file (by path) of each content, and drops content labelled two ways altogether', () => {
    const items: DatasetItem[] = [
      { path: '/b/x.wav', label: 'happy' },
      { path: '/a/x.wav', label: 'happy' },
      { path: '/a/y.wav', label: 'sad' },
      { path: '/b/y.wav', label: 'angry' },
      { path: '/a/z.wav', label: 'sad' },
    ];
    const hash: Record<string, string> = { '/b/x.wav': 'h1', '/a/x.wav': 'h1', '/a/y.wav': 'h2', '/b/y.wav': 'h2', '/a/z.wav': 'h3' };
    const out = deduplicate(items, (i) => hash[i.path]);
    expect(out.items.map((i) => i.path)).toEqual(['/a/x.wav', '/a/z.wav']);
    expect(out.duplicates).toEqual([{ path: '/b/x.wav', sameAs: '/a/x.wav' }]);
    expect(out.conflicts).toEqual([{ paths: ['/a/y.wav', '/b/y.wav'], labels: ['sad', 'angry'] }]);
  });
});

describe('randomSplit', () => {
  const items = [
    ...Array.from({ length: 47 }, (_, i) => ({ path: `/a/${i}.wav`, label: 'a' })),
    ...Array.from({ length: 13 }, (_, i) => ({ path: `/b/${i}.wav`, label: 'b' })),
    ...Array.from({ length: 6 }, (_, i) => ({ path: `/c/${i}.wav`, label: 'c' })),
  ];

  it('puts every clip on exactly one side, each class within one clip of its 80/10/10 share', () => {
    const split = randomSplit(items, { protocol: 'random', seed: 42 });
    expect(paths(sides(split).flat())).toEqual(paths(items));
    for (const label of ['a', 'b', 'c']) {
      const n = items.filter((i) => i.label === label).length;
      const count = (side: DatasetItem[]) => side.filter((i) => i.label === label).length;
      expect(Math.abs(count(split.test) - n * 0.1)).toBeLessThanOrEqual(1);
      expect(Math.abs(count(split.validation) - n * 0.1)).toBeLessThanOrEqual(1);
      expect(Math.abs(count(split.train) - n * 0.8)).toBeLessThanOrEqual(1);
    }
    expect(split.description).toBe('random stratified 80/10/10 (seed 42)');
  });

  it('is fixed by the seed, whatever the order of the input, and changes with it', () => {
    const a = randomSplit(items, { protocol: 'random', seed: 7 });
    const b = randomSplit([...items].reverse(), { protocol: 'random', seed: 7 });
    const c = randomSplit(items, { protocol: 'random', seed: 8 });
    expect(sides(b).map(paths)).toEqual(sides(a).map(paths));
    expect(paths(c.test)).not.toEqual(paths(a.test));
  });

  it('never lets files with the same content straddle the split once deduplicated', () => {
    // Every clip twice, as the baseline's 2,880 RAVDESS files hold the 1,440 clips in two folders.
    const doubled = items.flatMap((i) => [i, { ...i, path: i.path.replace('/', '/copy/') }]);
    const contentOf = (i: DatasetItem) => i.path.replace('/copy/', '/');
    const { items: unique, duplicates } = deduplicate(doubled, contentOf);
    expect(duplicates).toHaveLength(items.length);
    const split = randomSplit(unique, { protocol: 'random', seed: 3 });
    const sideOf = new Map<string, number>();
    sides(split).forEach((side, s) =>
      side.forEach((i) => {
        expect(sideOf.get(contentOf(i)) ?? s).toBe(s);
        sideOf.set(contentOf(i), s);
      }),
    );
    expect(sideOf.size).toBe(items.length);
  });

  it('refuses fractions that leave nothing to train on', () => {
    expect(() => randomSplit(items, { protocol: 'random', seed: 1, validationFraction: 0.5, testFraction: 0.5 })).toThrow(SplitError);
  });
});

describe('speaker folds', () => {
  const labels = ['neutral', 'happy', 'sad', 'angry'];
  const items = corpus(22, labels, 2);

  it('deals the 22 speakers into 4 disjoint folds of 6, 6, 5 and 5, each with both genders', () => {
    const folds = speakerFolds(items, 4, 42);
    expect(folds.map((f) => f.length).sort()).toEqual([5, 5, 6, 6]);
    expect(new Set(folds.flat()).size).toBe(22);
    for (const fold of folds) {
      const genders = new Set(fold.map((s) => (Number(s) % 2 === 1 ? 'male' : 'female')));
      expect(genders).toEqual(new Set(['male', 'female']));
    }
    expect(speakerFolds([...items].reverse(), 4, 42)).toEqual(folds);
    expect(speakerFolds(items, 4, 43)).not.toEqual(folds);
  });

  it('tests each fold on speakers heard on no other side, and validates on training-fold speakers of both genders', () => {
    const folds = speakerFolds(items, 4, 42);
    const tested = new Set<string>();
    for (let fold = 1; fold <= 4; fold++) {
      const split = speakerFoldSplit(items, { protocol: 'speaker', seed: 42, folds: 4, fold });
      const [train, validation, test] = sides(split).map(speakersOf);
      expect([...test].sort()).toEqual([...folds[fold - 1]].sort());
      for (const s of test) expect(train.has(s) || validation.has(s)).toBe(false);
      for (const s of validation) expect(train.has(s)).toBe(false);
      expect(validation.size).toBe(Math.round((22 - test.size) * 0.2));
      expect(new Set(split.validation.map((i) => i.gender))).toEqual(new Set(['male', 'female']));
      expect(paths(sides(split).flat())).toEqual(paths(items));
      expect(split.speakers?.test).toEqual(folds[fold - 1]);
      test.forEach((s) => tested.add(s as string));
    }
    expect(tested.size).toBe(22);
  });

  it('trains the final model on every speaker but the validation speakers', () => {
    const split = allSpeakersSplit(items, { protocol: 'all-speakers', seed: 42 });
    expect(split.test).toEqual([]);
    expect(split.speakers?.validation).toHaveLength(Math.round(22 * 0.2));
    expect(speakersOf(split.train).size + speakersOf(split.validation).size).toBe(22);
    expect(makeSplit(items, { protocol: 'all-speakers', seed: 42 })).toEqual(split);
  });

  it('leaves out clips without a speaker and says how many', () => {
    const split = makeSplit([...items, { path: '/anon.wav', label: 'sad' }], { protocol: 'speaker', seed: 1, folds: 4, fold: 2 });
    expect(split.withoutSpeaker).toBe(1);
    expect(sides(split).flat().some((i) => i.path === '/anon.wav')).toBe(false);
  });

  it('refuses more folds than speakers, and a fold out of range', () => {
    expect(() => speakerFolds(corpus(3, labels, 1), 4, 1)).toThrow(/4 folds need at least 4 speakers/);
    expect(() => speakerFoldSplit(items, { protocol: 'speaker', seed: 1, folds: 4, fold: 5 })).toThrow(SplitError);
  });
});
