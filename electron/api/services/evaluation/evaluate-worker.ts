/**
 * worker_threads entry that evaluates a model on every clip of a data set (see evaluate-job.ts):
 * features through the shared cache, one prediction per clip on the window the model was trained
 * on, as `ser evaluate` does without --split.
 */
import { resolve } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../../ml/backend.ts';
import { clipFeatures } from '../../../ml/clip-features.ts';
import { evaluatePredictions } from '../../../ml/evaluate.ts';
import { predictClips } from '../../../ml/evaluate-model.ts';
import { FeatureCache } from '../../../ml/feature-cache.ts';
import { loadModel } from '../../../ml/model-store.ts';
import { recordedWindow } from '../../../ml/training-metadata.ts';
import { trainingOverlap } from '../../../ml/training-overlap.ts';
import { describeLeftOut, prepareTrainingData, TrainingDataError } from '../../../ml/training-data.ts';
import type { EvaluateWorkerInput, FromEvaluateWorker } from './evaluate-protocol.ts';

const port = parentPort;
if (!port) throw new Error('evaluate-worker.ts runs as a worker thread, started by startEvaluation');
const post = (message: FromEvaluateWorker) => port.postMessage(message);
const { modelDir, data, cacheDir, wasmDir } = workerData as EvaluateWorkerInput;

try {
  await initBackend({ wasmDir });
  const { model, metadata } = await loadModel(modelDir);
  try {
    const prepared = await prepareTrainingData({ data, labels: metadata.labels, minClipsPerLabel: 0, requireEveryLabel: false });
    if (prepared.items.length === 0) throw new TrainingDataError(`the data set has no clips labelled ${metadata.labels.join(', ')} (the model's labels)`);
    const total = prepared.items.length;
    const inputs = await clipFeatures(prepared.items, new FeatureCache(cacheDir), { settings: metadata.features, window: recordedWindow(metadata) }, () => [null], {
      onProgress: (done) => post({ type: 'progress', done, total }),
    });
    const predictions = predictClips(
      model,
      metadata.labels,
      prepared.items,
      inputs.map((copies) => copies[0]),
      metadata.calibration?.temperature,
    );
    const root = prepared.summary.root;
    post({
      type: 'done',
      outcome: {
        evaluation: evaluatePredictions(metadata.labels, predictions),
        clipPaths: predictions.map((p) => p.path),
        root,
        trainedOnThis: metadata.provenance.data !== undefined && resolve(metadata.provenance.data) === root,
        trainingOverlap: trainingOverlap(metadata, prepared.items),
        notes: describeLeftOut(prepared),
      },
    });
  } finally {
    model.dispose();
  }
} catch (err) {
  const error = err instanceof Error ? err : new Error(String(err));
  post({ type: 'failed', error: { name: error.name, message: error.message } });
}
