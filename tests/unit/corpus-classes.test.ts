/**
 * Training on a union of corpora of which one lacks a class: the masked cross-entropy against
 * hand-computed values and its gradients (a class the clip's corpus lacks gets no push-down),
 * class weights per corpus, and a tiny training where the union learns a class only one corpus has.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../electron/ml/backend.ts';
import { corpusClasses, corpusTable, crossEntropy, logLoss, restrictTo } from '../../electron/ml/corpus-classes.ts';
import { runTraining, type TrainingConfig } from '../../electron/ml/train.ts';
import { TOY_FEATURES, writeToyDataset } from '../helpers/toy-data.ts';

let dir: string;
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'ser-corpus-classes-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LOGITS = [1, 2, 3, 0.5];
/** The clip's corpus has classes 0, 1 and 3, not 2 (as nEMO has no calm). */
const PRESENT = [1, 1, 0, 1];

/** The loss of class y for logits, over present classes, and its gradient with respect to the logits. */
function lossAndGradient(y: number, present?: number[]): { loss: number; gradient: number[] } {
  const z = tf.tensor2d([LOGITS]);
  const labels = tf.tensor1d([y], 'int32');
  const mask = present && tf.tensor2d([present]);
  const f = (logits: tf.Tensor) => tf.sum(crossEntropy(tf.softmax(logits), labels, LOGITS.length, mask));
  const { value, grad } = tf.valueAndGrad(f)(z);
  const out = { loss: value.dataSync()[0], gradient: Array.from(grad.dataSync()) };
  tf.dispose([z, labels, value, grad, ...(mask ? [mask] : [])]);
  return out;
}

describe('the cross-entropy over a corpus’s classes', () => {
  it('equals the softmax cross-entropy with the absent class’s logit at -inf, worked by hand', () => {
    // -log(e^1 / (e^1 + e^2 + e^0.5)), the third logit left out.
    const byHand = -(1 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5)));
    expect(lossAndGradient(0, PRESENT).loss).toBeCloseTo(byHand, 5);
    // Unmasked it is the ordinary cross-entropy, with the third class's share counted against class 0.
    const all = -(1 - Math.log(LOGITS.reduce((s, z) => s + Math.exp(z), 0)));
    expect(lossAndGradient(0).loss).toBeCloseTo(all, 5);
    const p = LOGITS.map((z) => Math.exp(z) / LOGITS.reduce((s, v) => s + Math.exp(v), 0));
    expect(logLoss(p, 0, PRESENT.map(Boolean))).toBeCloseTo(byHand, 5);
    expect(logLoss(p, 0)).toBeCloseTo(all, 5);
  });

  it('sends no gradient to a class the clip’s corpus lacks, and the renormalised gradient to the others', () => {
    const masked = lossAndGradient(0, PRESENT).gradient;
    const plain = lossAndGradient(0).gradient;
    // Unmasked, a clip of a corpus without class 2 pushes class 2 down by its probability (about 0.63 here).
    expect(plain[2]).toBeGreaterThan(0.5);
    expect(Math.abs(masked[2])).toBeLessThan(1e-6);
    // Over the present classes it is softmax minus one-hot, the softmax taken over those classes only.
    const shares = [0, 1, 3].map((c) => Math.exp(LOGITS[c]));
    const total = shares.reduce((a, b) => a + b, 0);
    const expected = [shares[0] / total - 1, shares[1] / total, 0, shares[2] / total];
    masked.forEach((g, c) => expect(g).toBeCloseTo(expected[c], 5));
  });
});

describe('scores restricted to a corpus’s classes', () => {
  it('renormalises over the allowed classes and zeroes the others', () => {
    expect(restrictTo([0.5, 0.2, 0.2, 0.1], [false, true, true, false])).toEqual([0, 0.5, 0.5, 0]);
    expect(restrictTo([0.5, 0.3, 0.2])).toEqual([0.5, 0.3, 0.2]);
  });
});

describe('class weights per corpus', () => {
  it('balances each corpus over the classes its training examples hold (scikit-learn’s formula within the corpus)', () => {
    const labels = [0, 0, 1, 2, 0, 1, 1];
    const corpus = [0, 0, 0, 0, 1, 1, 1];
    const present = [
      [true, true, true],
      [true, true, false],
    ];
    expect(corpusClasses(labels, corpus, present)).toEqual([
      { present: present[0], classWeights: [4 / (3 * 2), 4 / 3, 4 / 3] },
      { present: present[1], classWeights: [3 / (2 * 1), 3 / (2 * 2), 0] },
    ]);
  });

  it('needs no table for clips of one corpus', () => {
    expect(corpusTable([{ path: '/a', label: 'x', corpus: 'c' }, { path: '/b', label: 'y', corpus: 'c' }], ['x', 'y'])).toBeNull();
    const table = corpusTable([{ path: '/a', label: 'x', corpus: 'c' }, { path: '/b', label: 'y', corpus: 'd' }], ['x', 'y']);
    expect(table?.names).toEqual(['c', 'd']);
    expect(table?.present).toEqual([[true, false], [false, true]]);
  });
});

describe('training on a union where one corpus lacks a class', () => {
  let sources: { csv: string }[];
  beforeAll(() => {
    // Corpus "full" has all three toy classes; corpus "partial" has no noise, and reuses speaker ids 1 to 4.
    const full = writeToyDataset(join(dir, 'full'), { classes: ['low', 'high', 'noise'], clipsPerClass: 10, seed: 3 });
    const partial = writeToyDataset(join(dir, 'partial'), { classes: ['low', 'high'], clipsPerClass: 10, seed: 4 });
    sources = [{ csv: full.csv }, { csv: partial.csv }];
  });
  const trainUnion = (split: TrainingConfig['split'], out: string) =>
    runTraining({ data: sources, split, out: join(dir, out), seed: 1, epochs: 10, patience: 4, features: TOY_FEATURES, minClipsPerLabel: 5, cacheDir: join(dir, 'cache') });

  it('learns the class only one corpus has, keeps the corpora’s speakers apart, and says how it trained', async () => {
    const result = await trainUnion({ protocol: 'random', seed: 1, validationFraction: 0.2, testFraction: 0.3 }, 'model');
    expect(result.labels).toEqual(['high', 'low', 'noise']);
    expect(result.notes).toContain('a union of 2 corpora (full, partial): class weights per corpus; partial has no noise: each clip\'s loss is taken over its own corpus\'s classes');
    expect(result.dataset.corpora).toEqual([
      { corpus: 'full', clips: 30, labels: ['high', 'low', 'noise'], speakers: 4 },
      { corpus: 'partial', clips: 20, labels: ['high', 'low'], speakers: 4 },
    ]);
    expect(result.dataset.speakers.map((s) => s.speaker)).toEqual(['full:1', 'full:2', 'full:3', 'full:4', 'partial:1', 'partial:2', 'partial:3', 'partial:4']);
    const test = result.test!;
    const noise = test.labels.indexOf('noise');
    expect(test.confusion[noise].reduce((a, b) => a + b, 0)).toBe(3);
    expect(test.confusion[noise][noise]).toBeGreaterThanOrEqual(2);
    expect(test.accuracy).toBeGreaterThan(0.8);
  }, 180_000);

  it('leaves one corpus out: tested on all of it, over its own classes only', async () => {
    const result = await trainUnion({ protocol: 'corpus', seed: 1, heldOut: 'partial' }, 'loco');
    expect(result.split.description).toBe('corpus partial held out (seed 1)');
    expect(result.split.clips.test).toEqual({ high: 10, low: 10 });
    expect(result.split.clips.train.noise).toBeGreaterThan(0);
    // Scored over partial's two classes: no clip of it can be called noise, and chance is a half.
    expect(result.test?.labels).toEqual(['high', 'low']);
    expect(result.testPredictions.every((p) => p.predicted !== 'noise')).toBe(true);
    expect(result.test?.accuracy).toBeGreaterThan(0.8);
  }, 180_000);
});
