/** Fabricated completed training results whose test clips are given, for the model card's figure scripts. */
import { evaluatePredictions, type LabelledPrediction } from '../../electron/ml/evaluate.ts';
import type { TrainingResult } from '../../electron/ml/train.ts';

export const LABELS = ['angry', 'sad'];

/** A completed run (best epoch 3 of 5, 5 minutes' training) whose test clips are `predictions`, tested on `speakers`. */
export function completedRun(speakers: string[], predictions: LabelledPrediction[], labels = LABELS): TrainingResult {
  const clips = predictions.map((p, i) => ({ ...p, path: `clip-${i}.wav`, confidence: 0.9 }));
  return {
    status: 'completed',
    labels,
    bestEpoch: 3,
    history: [1, 2, 3, 4, 5].map((epoch) => ({ epoch, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, seconds: 60 })),
    test: evaluatePredictions(labels, clips),
    testPredictions: clips,
    split: { speakers: { train: [], validation: [], test: speakers } },
    seconds: { features: 1, training: 300, total: 301 },
  } as unknown as TrainingResult;
}

/** `right` of `n` clips of one speaker right (labels alternating angry, sad; a wrong one is the other label). */
export function clips(speaker: string, gender: 'male' | 'female', n: number, right: number): LabelledPrediction[] {
  return Array.from({ length: n }, (_, i) => {
    const label = LABELS[i % 2];
    return { label, predicted: i < right ? label : LABELS[(i + 1) % 2], speaker, gender };
  });
}
