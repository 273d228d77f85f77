/** The accuracy shown beside a model's name says what it was measured on, and never dresses a random split up as speaker-independent. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../../electron/audio/settings.ts';
import type { ModelMetadata } from '../../electron/ml/metadata.ts';
import { headlineAccuracy } from '../../electron/ml/training-metadata.ts';

function metadata(metrics: Record<string, unknown> | undefined): ModelMetadata {
  return {
    format: 'ser-studio-model',
    version: 1,
    name: 'm',
    labels: ['a', 'b'],
    features: { ...DEFAULT_FEATURES },
    inputShape: [128, 130, 1],
    trained: true,
    provenance: { createdAt: '2026-11-25T00:00:00.000Z' },
    ...(metrics ? { metrics } : {}),
  };
}

describe('headlineAccuracy', () => {
  it('words a speaker-held-out test as unseen speakers and a random split as held-out clips', () => {
    expect(headlineAccuracy(metadata({ test: { accuracy: 0.4722 }, split: { spec: { protocol: 'speaker', seed: 42, folds: 4, fold: 1 } } }))).toBe('47% on unseen speakers');
    expect(headlineAccuracy(metadata({ test: { accuracy: 0.856 }, split: { spec: { protocol: 'random', seed: 42 } } }))).toBe('86% on held-out clips');
    // A split it does not record is not assumed to be the honest one.
    expect(headlineAccuracy(metadata({ test: { accuracy: 0.5 } }))).toBe('50% on held-out clips');
  });

  it('prefers the cross-validation of a model trained on every speaker', () => {
    const cv = { accuracy: { mean: 0.512, sd: 0.043, n: 4 } };
    expect(headlineAccuracy(metadata({ crossValidation: cv, split: { spec: { protocol: 'all-speakers', seed: 42 } } }))).toBe('51% ± 4 on unseen speakers (4 folds)');
  });

  it('says nothing for a model with no test', () => {
    expect(headlineAccuracy(metadata(undefined))).toBeNull();
    expect(headlineAccuracy(metadata({ validation_accuracy: 0.6 }))).toBeNull();
  });
});
