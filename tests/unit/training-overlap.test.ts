/**
 * Which evaluated clips come from what the model learnt from (training-overlap.ts), worded for
 * people (shared/training-overlap.ts), and the accuracy comparison the Evaluate view shows.
 */
import { describe, expect, it } from 'vitest';
import type { DatasetItem } from '../../electron/ml/datasets/index.ts';
import { untrainedMetadata, type ModelMetadata } from '../../electron/ml/metadata.ts';
import { trainingOverlap, trainingSources } from '../../electron/ml/training-overlap.ts';
import { compareAccuracies } from '../../electron/shared/accuracy-comparison.ts';
import { describeTrainingOverlap, overlapsTraining } from '../../electron/shared/training-overlap.ts';
import { evaluationFileName } from '../../renderer/src/lib/evaluation-file-name.ts';

const withMetrics = (metrics: Record<string, unknown>): ModelMetadata => ({ ...untrainedMetadata('m'), trained: true, metrics });

/** As training records a single RAVDESS run: speakers by their own ids. */
const ravdessModel = withMetrics({
  dataset: { root: '/data/ravdess', convention: 'ravdess' },
  split: { spec: { protocol: 'all-speakers', seed: 1 }, speakers: { train: ['01', '02'], validation: ['03'], test: [] } },
});

const clip = (corpus: string, speaker: string | undefined, n = 0): DatasetItem => ({ path: `/x/${corpus}-${speaker}-${n}.wav`, label: 'sad', corpus, ...(speaker === undefined ? {} : { speaker }) });

describe('training sources', () => {
  it('names a single corpus by its convention, or a user folder by its name, and keys speakers corpus:speaker', () => {
    expect(trainingSources(ravdessModel)).toEqual({ corpora: ['ravdess'], speakers: { train: ['ravdess:01', 'ravdess:02'], validation: ['ravdess:03'] } });
    const own = withMetrics({ dataset: { root: '/home/me/my-recordings', convention: 'folders' }, split: { spec: { protocol: 'random', seed: 1 } } });
    expect(trainingSources(own)).toEqual({ corpora: ['my-recordings'], speakers: null });
  });

  it('leaves out a leave-one-corpus-out model’s held-out corpus', () => {
    const union = withMetrics({
      dataset: { root: '/a + /b', convention: 'corpora', corpora: [{ corpus: 'ravdess' }, { corpus: 'nemo' }] },
      split: { spec: { protocol: 'corpus', seed: 1, heldOut: 'nemo' }, speakers: { train: ['ravdess:01'], validation: ['ravdess:02'], test: ['nemo:KS0'] } },
    });
    expect(trainingSources(union)).toEqual({ corpora: ['ravdess'], speakers: { train: ['ravdess:01'], validation: ['ravdess:02'] } });
  });

  it('knows nothing of a model that does not record its data', () => {
    expect(trainingSources(untrainedMetadata('m'))).toBeNull();
    expect(trainingOverlap(untrainedMetadata('m'), [clip('ravdess', '01')])).toBeNull();
  });
});

describe('training overlap', () => {
  it('counts clips of training and validation speakers of the same corpus only', () => {
    const items = [clip('ravdess', '01', 1), clip('ravdess', '01', 2), clip('ravdess', '03'), clip('ravdess', '24'), clip('nemo', '01'), clip('ravdess', undefined)];
    const o = trainingOverlap(ravdessModel, items)!;
    expect(o).toEqual({
      clips: 6,
      corpora: ['ravdess'],
      corpusClips: 5,
      trainSpeakers: ['ravdess:01'],
      trainSpeakerClips: 2,
      validationSpeakers: ['ravdess:03'],
      validationSpeakerClips: 1,
      speakersHeldOut: true,
    });
    expect(overlapsTraining(o)).toBe(true);
    expect(describeTrainingOverlap(o)).toBe(
      'The model trained on 1 speaker of these clips (2 of 6 clips) and chose its epoch by 1 speaker of them (1 clip), from ravdess: the figures are not on unseen speakers, and are inflated.',
    );
  });

  it('matches a union’s corpus:speaker ids to a single-corpus model’s', () => {
    const o = trainingOverlap(ravdessModel, [clip('ravdess', 'ravdess:02'), clip('nemo', 'nemo:02')])!;
    expect([o.trainSpeakers, o.trainSpeakerClips, o.corpusClips]).toEqual([['ravdess:02'], 1, 1]);
  });

  it('says unseen speakers of a known corpus are no warning, and another corpus is no overlap', () => {
    const unseen = trainingOverlap(ravdessModel, [clip('ravdess', '24')])!;
    expect(overlapsTraining(unseen)).toBe(false);
    expect(describeTrainingOverlap(unseen)).toMatch(/^The model was trained on ravdess, but on none of the speakers evaluated here/);
    const other = trainingOverlap(ravdessModel, [clip('nemo', '01')])!;
    expect([other.corpora, overlapsTraining(other), describeTrainingOverlap(other)]).toEqual([[], false, null]);
  });

  it('with no speakers held out (a random split), every clip of a trained corpus may be a training clip', () => {
    const random = withMetrics({ dataset: { root: '/home/me/clinic', convention: 'csv' }, split: { spec: { protocol: 'random', seed: 1 } } });
    const o = trainingOverlap(random, [clip('clinic', '1'), clip('clinic', '2'), clip('studio', '1')])!;
    expect([o.speakersHeldOut, o.corpusClips, o.trainSpeakers, overlapsTraining(o)]).toEqual([false, 2, ['clinic:1', 'clinic:2'], true]);
    expect(describeTrainingOverlap(o)).toContain('with no speakers held out: it heard the speakers of 2 of these 3 clips');
  });
});

describe('accuracy comparison', () => {
  it('gives each side its clips and Wilson interval, and says when the intervals overlap', () => {
    // 75/120 against 12/15: +17.5 points, yet 12 of 15 is 54.8–93.0%, which holds 62.5%.
    const c = compareAccuracies({ accuracy: 75 / 120, clips: 120 }, { accuracy: 12 / 15, clips: 15 });
    expect(c.difference).toBeCloseTo(0.175, 12);
    expect(c.right.clips).toBe(15);
    expect(c.right.interval.lower).toBeCloseTo(0.5481, 4);
    expect(c.right.interval.upper).toBeCloseTo(0.9295, 4);
    expect(c.withinOverlap).toBe(true);
    // 60/200 against 160/200: intervals 23.9–36.9% and 73.9–84.9%, far apart.
    expect(compareAccuracies({ accuracy: 0.3, clips: 200 }, { accuracy: 0.8, clips: 200 }).withinOverlap).toBe(false);
  });
});

describe('evaluation file name', () => {
  it('is stamped with the evaluation’s own model, data set and time', () => {
    const createdAt = new Date(2026, 0, 2, 3, 4).toISOString();
    expect(evaluationFileName({ modelName: 'ser cnn (v2)', datasetSource: '/data/ravdess/', createdAt })).toBe('ser-evaluation-ser-cnn-v2-ravdess-20260102-0304.csv');
    expect(evaluationFileName({ modelName: 'x', datasetSource: 'labelling session “Ward 3”', createdAt })).toBe('ser-evaluation-x-labelling-session-Ward-3-20260102-0304.csv');
  });
});
