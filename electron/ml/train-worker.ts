/**
 * worker_threads entry of a training run (see training-job.ts): runs runTraining with the config
 * it is given, posts its events, and its result or error; a 'cancel' message aborts the run,
 * which then keeps its best epoch so far.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInput } from './train-protocol.ts';
import { runTraining } from './train.ts';

const port = parentPort;
if (!port) throw new Error('train-worker.ts runs as a worker thread, started by startTraining');
const post = (message: FromWorker) => port.postMessage(message);
const controller = new AbortController();
port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') controller.abort();
});

const { config } = workerData as WorkerInput;
try {
  const result = await runTraining(config, { signal: controller.signal, onEvent: (event) => post({ type: 'event', event }) });
  post({ type: 'done', result });
} catch (err) {
  const error = err instanceof Error ? err : new Error(String(err));
  post({ type: 'failed', error: { name: error.name, message: error.message, stack: error.stack } });
}
