/**
 * A model's predictions on labelled clips, ready for evaluatePredictions: either one model input
 * per clip (the training window, as the model was trained and as the baseline evaluates), or the
 * whole recording as the app classifies a file (the mean over its sliding windows).
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { applyTemperature } from './calibration.ts';
import type { Classifier } from './classify.ts';
import { restrictTo } from './corpus-classes.ts';
import type { DatasetItem } from './datasets/index.ts';
import type { LabelledPrediction } from './evaluate.ts';
import { argMax } from './fit.ts';
import { predictBatch } from './infer.ts';

export interface ClipPrediction extends LabelledPrediction {
  path: string;
  confidence: number;
}

function clipPrediction({ path, label, speaker, gender }: DatasetItem, predicted: string, confidence: number): ClipPrediction {
  return { path, label, predicted, confidence, ...(speaker === undefined ? {} : { speaker }), ...(gender === undefined ? {} : { gender }) };
}

/**
 * temperature: the model's calibration (metadata.calibration), so confidences are those the app shows.
 * allowed: one per label, the classes the clips can be (leave one corpus out); default all.
 */
export function predictClips(model: LayersModel, labels: readonly string[], items: readonly DatasetItem[], inputs: readonly Float32Array[], temperature = 1, allowed?: readonly boolean[]): ClipPrediction[] {
  return predictBatch(model, inputs).map((raw, i) => {
    const probs = restrictTo(applyTemperature(raw, temperature), allowed);
    const top = argMax(probs);
    return clipPrediction(items[i], labels[top], probs[top]);
  });
}

/**
 * Each clip classified as a recording in the app is: every window of it, averaged. A clip that cannot
 * be decoded fails the evaluation (a figure over some of the clips would not say which).
 * allowed: as predictClips', over the recording's mean probabilities.
 */
export async function predictRecordings(
  classifier: Classifier,
  items: readonly DatasetItem[],
  options: { signal?: AbortSignal; onProgress?: (done: number) => void; allowed?: readonly boolean[] } = {},
): Promise<ClipPrediction[]> {
  const out: ClipPrediction[] = [];
  const labels = classifier.labels;
  await classifier.classifyFiles(
    items.map((item) => item.path),
    (result, index) => {
      if ('error' in result) throw new Error(`cannot evaluate on ${result.file}: ${result.error}`);
      if (!options.allowed) out.push(clipPrediction(items[index], result.label, result.confidence));
      else {
        const probs = restrictTo(labels.map((label) => result.probabilities[label]), options.allowed);
        const top = argMax(probs);
        out.push(clipPrediction(items[index], labels[top], probs[top]));
      }
      options.onProgress?.(out.length);
    },
    { signal: options.signal },
  );
  return out;
}
