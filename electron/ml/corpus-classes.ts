/**
 * Training on a union of corpora of which some lack classes (nEMO has no calm and no disgust).
 *
 * A clip of a corpus without calm says nothing about whether it sounds calm: it was never given
 * the choice. Its cross-entropy is therefore taken over its corpus's classes only, as if the
 * logits of the absent classes were -inf before the softmax: -log(p_y / sum of p_k over the
 * corpus's classes k). The gradient this sends to an absent class's logit is exactly zero (its
 * p_c from -log p_y cancels the -p_c from the log of the sum), so no corpus teaches the model
 * that its own voices are "not calm", which would confuse corpus with emotion. Class weights are
 * balanced within each corpus (n_K / (classes of K x count in K)), so each corpus weighs in by its
 * size and each of its classes equally.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetItem } from './datasets/index.ts';

/** The classes one corpus has and its class weights. */
export interface CorpusClasses {
  /** One per class of the model: the corpus has clips of it. */
  present: readonly boolean[];
  /** One per class: balanced within the corpus's training examples; 0 where it has none. */
  classWeights: readonly number[];
}

/** Keras' clipping of probabilities before the logarithm. */
const EPSILON = 1e-7;

/** The items' corpus names (sorted; '' for an unnamed one) and, per corpus, one flag per label: it has clips of that label. */
export function classesPresent(items: readonly DatasetItem[], labels: readonly string[]): { names: string[]; present: boolean[][] } {
  const names = [...new Set(items.map((i) => i.corpus ?? ''))].sort();
  const present = names.map((name) => labels.map((label) => items.some((i) => (i.corpus ?? '') === name && i.label === label)));
  return { names, present };
}

/**
 * Each item's corpus index and the classes each corpus has; null for clips of one corpus that has
 * every class, which need no masking. One corpus lacking classes is a fine-tune that keeps the base
 * model's other classes: they are masked as a corpus's absent classes are.
 */
export function corpusTable(items: readonly DatasetItem[], labels: readonly string[]): { names: string[]; of: (item: DatasetItem) => number; present: boolean[][] } | null {
  const { names, present } = classesPresent(items, labels);
  if (names.length < 2 && present.every((classes) => classes.every(Boolean))) return null;
  const index = new Map(names.map((n, k) => [n, k]));
  return { names, of: (item) => index.get(item.corpus ?? '') as number, present };
}

/** Per corpus, its classes and the balanced class weights of its training examples (labels and corpus index per example). */
export function corpusClasses(labels: readonly number[], corpus: readonly number[], present: readonly (readonly boolean[])[]): CorpusClasses[] {
  return present.map((classes, k) => {
    const ys = labels.filter((_, i) => corpus[i] === k);
    const counts = classes.map((_, c) => ys.filter((y) => y === c).length);
    const seen = counts.filter((n) => n > 0).length;
    // scikit-learn's 'balanced' weights over the classes this corpus's training examples hold.
    return { present: classes, classWeights: counts.map((n) => (n > 0 ? ys.length / (seen * n) : 0)) };
  });
}

/**
 * Per-example cross-entropy of softmax outputs probs [B, classes] for integer labels y [B]; with
 * present [B, classes] (1 for the example's corpus's classes, 0 otherwise), taken over those
 * classes only: -log p_y + log(sum of present p).
 */
export function crossEntropy(probs: tf.Tensor, y: tf.Tensor1D, numClasses: number, present?: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const picked = tf.sum(tf.mul(probs, tf.oneHot(y, numClasses)), -1);
    const plain = tf.neg(tf.log(tf.clipByValue(picked, EPSILON, 1 - EPSILON)));
    if (!present) return plain as tf.Tensor1D;
    // The corpus's classes may hold all the probability: only the way to 0 is clipped.
    const share = tf.clipByValue(tf.sum(tf.mul(probs, present), -1), EPSILON, 1);
    return tf.add(plain, tf.log(share)) as tf.Tensor1D;
  });
}

/** crossEntropy for one example's probabilities, in plain numbers (validation loss). */
export function logLoss(p: ArrayLike<number>, y: number, present?: readonly boolean[]): number {
  const clip = (x: number, hi: number) => Math.min(hi, Math.max(EPSILON, x));
  const plain = -Math.log(clip(p[y], 1 - EPSILON));
  if (!present) return plain;
  let share = 0;
  for (let c = 0; c < p.length; c++) if (present[c]) share += p[c];
  return plain + Math.log(clip(share, 1));
}

/**
 * Probabilities renormalised over the allowed classes, the others 0: a model tested on a corpus it
 * never heard (leave one corpus out) is scored over that corpus's classes, as its clips could only
 * be those. Without allowed, the probabilities as they are.
 */
export function restrictTo(probs: ArrayLike<number>, allowed?: readonly boolean[]): number[] {
  if (!allowed) return Array.from(probs);
  let share = 0;
  for (let c = 0; c < probs.length; c++) if (allowed[c]) share += probs[c];
  return Array.from(probs, (p, c) => (allowed[c] ? p / share : 0));
}
