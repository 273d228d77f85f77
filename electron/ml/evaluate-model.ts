/**
 * A model's predictions on labelled clips, one model input per clip (the training window, as the
 * model was trained and as the baseline evaluates), ready for evaluatePredictions.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { DatasetItem } from './datasets/index.ts';
import type { LabelledPrediction } from './evaluate.ts';
import { argMax } from './fit.ts';
import { predictBatch } from './infer.ts';

export interface ClipPrediction extends LabelledPrediction {
  path: string;
  confidence: number;
}

export function predictClips(model: LayersModel, labels: readonly string[], items: readonly DatasetItem[], inputs: readonly Float32Array[]): ClipPrediction[] {
  return predictBatch(model, inputs).map((probs, i) => {
    const { path, label, speaker, gender } = items[i];
    const top = argMax(probs);
    return {
      path,
      label,
      predicted: labels[top],
      confidence: probs[top],
      ...(speaker === undefined ? {} : { speaker }),
      ...(gender === undefined ? {} : { gender }),
    };
  });
}
