import { createRequire } from 'node:module';

/** Whether native TensorFlow is installed here: where it is, the WebAssembly fallback and its explanation do not occur. */
export const hasTfjsNode = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();
