/**
 * worker_threads entry that classifies recordings for the API (see classifier-worker.ts): loads
 * the model once, then runs jobs one after another, posting each recording's windows as soon as
 * it is done, so a cancelled job keeps what it finished.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeFile } from '../../../audio/decode.ts';
import { LogMelExtractor } from '../../../audio/mel.ts';
import { toModelInput } from '../../../audio/model-input.ts';
import { slidingWindows } from '../../../audio/windows.ts';
import { initBackend } from '../../../ml/backend.ts';
import { Classifier, type WindowResult } from '../../../ml/classify.ts';
import { loadModel } from '../../../ml/model-store.ts';
import type { ClassifyItem, ClassifyWorkerInput, FromClassifyWorker, ToClassifyWorker, WorkerError } from './classify-protocol.ts';

const port = parentPort;
if (!port) throw new Error('classify-worker.ts runs as a worker thread, started by ClassifierWorker');
const post = (message: FromClassifyWorker) => port.postMessage(message);
const asWorkerError = (err: unknown): WorkerError =>
  err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };

const { modelDir, wasmDir } = workerData as ClassifyWorkerInput;
const controllers = new Map<string, AbortController>();
let queue = Promise.resolve();

/**
 * Windows of one stretch of a recording. The Classifier reads whole files; a stretch is cut from
 * the decoded signal and windowed the same way, with times shifted back onto the recording.
 */
async function classifyStretch(classifier: Classifier, item: ClassifyItem, extractor: LogMelExtractor): Promise<{ windows: WindowResult[]; warnings: string[] }> {
  const { features } = classifier.metadata;
  const { samples, warnings } = await decodeFile(item.path, { targetRate: features.sampleRate });
  const start = item.startSec ?? 0;
  const first = Math.floor(start * features.sampleRate);
  const last = Math.min(samples.length, Math.ceil((item.endSec ?? Infinity) * features.sampleRate));
  if (last <= first) throw new Error(`${item.path}: the stretch ${start}..${item.endSec} s lies outside the recording`);
  const windows = [];
  for await (const w of slidingWindows([samples.subarray(first, last)], features, features.windowSeconds / 2)) windows.push(w);
  const outputs = classifier.predict(windows.map((w) => toModelInput(extractor.compute(w.samples), features.normalisation)));
  return { warnings, windows: windows.map((w, i) => classifier.windowResult(start + w.start, start + w.end, outputs[i], classifier.speechShare(w.samples))) };
}

async function runJob(classifier: Classifier, extractor: LogMelExtractor, jobId: string, items: ClassifyItem[]): Promise<void> {
  const controller = controllers.get(jobId) ?? new AbortController();
  const { signal } = controller;
  try {
    const stretches = items.filter((i) => i.startSec !== undefined || i.endSec !== undefined);
    for (const item of stretches) {
      signal.throwIfAborted();
      try {
        post({ type: 'result', jobId, recordingId: item.recordingId, ...(await classifyStretch(classifier, item, extractor)) });
      } catch (err) {
        post({ type: 'item-failed', jobId, recordingId: item.recordingId, error: asWorkerError(err).message });
      }
    }
    const whole = items.filter((i) => !stretches.includes(i));
    await classifier.classifyFiles(
      whole.map((i) => i.path),
      (result, index) => {
        const { recordingId } = whole[index];
        if ('error' in result) post({ type: 'item-failed', jobId, recordingId, error: result.error });
        else post({ type: 'result', jobId, recordingId, windows: result.windows, warnings: result.warnings });
      },
      { signal },
    );
    post({ type: 'done', jobId, cancelled: false });
  } catch (err) {
    if (signal.aborted) post({ type: 'done', jobId, cancelled: true });
    else post({ type: 'failed', jobId, error: asWorkerError(err) });
  } finally {
    controllers.delete(jobId);
  }
}

try {
  const backend = await initBackend({ wasmDir });
  const { model, metadata } = await loadModel(modelDir);
  const classifier = new Classifier(model, metadata);
  const extractor = new LogMelExtractor(metadata.features);
  port.on('message', (message: ToClassifyWorker) => {
    if (message.type === 'cancel') {
      controllers.get(message.jobId)?.abort();
      return;
    }
    if (message.type === 'predict') {
      // Not queued behind a running job: its batches leave the thread free between them, and live windows must not wait for a whole folder.
      try {
        const inputs = message.windows.map((w) => toModelInput(extractor.compute(w), metadata.features.normalisation));
        post({ type: 'predicted', requestId: message.requestId, probabilities: classifier.predict(inputs) });
      } catch (err) {
        post({ type: 'predict-failed', requestId: message.requestId, error: asWorkerError(err) });
      }
      return;
    }
    // Registered now, so a cancel that arrives while the job waits its turn still stops it.
    controllers.set(message.jobId, new AbortController());
    queue = queue.then(() => runJob(classifier, extractor, message.jobId, message.items));
  });
  post({ type: 'ready', backend: backend.reason, backendDetails: backend.details });
} catch (err) {
  post({ type: 'init-failed', error: asWorkerError(err) });
}
