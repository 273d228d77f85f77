import { describe, expect, it } from 'vitest';
import { chooseSplit, FINE_TUNE_VALIDATION_FRACTION, MIN_SPEAKERS_FOR_SPEAKER_SPLIT } from '../../electron/api/services/training/training-run.ts';
import type { DatasetItem } from '../../electron/ml/datasets/types.ts';
import { randomSplit } from '../../electron/ml/splits.ts';

const clips = (label: string, n: number): DatasetItem[] => Array.from({ length: n }, (_, i) => ({ path: `/c/${label}-${i}.wav`, label, speaker: String(i) }));

describe('the split a training run asks for', () => {
  it('falls back from speakers to random with a note when too few speakers', () => {
    expect(chooseSplit('speaker', MIN_SPEAKERS_FOR_SPEAKER_SPLIT, 1).spec.protocol).toBe('speaker');
    const fallback = chooseSplit('speaker', MIN_SPEAKERS_FOR_SPEAKER_SPLIT - 1, 1);
    expect(fallback.spec).toEqual({ protocol: 'random', seed: 1 });
    expect(fallback.note).toMatch(/not speaker-independent/);
  });

  it('gives a fine-tune on two labels per class one to train on and one to validate, and no test', () => {
    const { spec, note } = chooseSplit('fine-tune', 1, 7);
    expect(spec).toEqual({ protocol: 'random', seed: 7, validationFraction: FINE_TUNE_VALIDATION_FRACTION, testFraction: 0 });
    expect(note).toMatch(/held-out labels/);
    const split = randomSplit([...clips('happy', 2), ...clips('sad', 3)], spec as Extract<typeof spec, { protocol: 'random' }>);
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([3, 2, 0]);
    for (const label of ['happy', 'sad']) {
      expect(split.train.some((c) => c.label === label)).toBe(true);
      expect(split.validation.some((c) => c.label === label)).toBe(true);
    }
  });
});
