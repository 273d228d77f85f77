/**
 * Writes a randomly initialised baseline model to models/ser-cnn, marked untrained in its
 * metadata, so the app and CLI work end to end before a trained model exists.
 * Usage: node bin/run-ts.mjs scripts/init-model.ts [DIR]
 */
import { join } from 'node:path';
import { exitWhenFlushed } from '../electron/cli/exit.ts';
import { initBackend } from '../electron/ml/backend.ts';
import { untrainedMetadata } from '../electron/ml/metadata.ts';
import { buildModel } from '../electron/ml/model.ts';
import { BUNDLED_MODEL } from '../electron/ml/model-location.ts';
import { saveModel } from '../electron/ml/model-store.ts';

const dir = process.argv[2] ?? join('models', BUNDLED_MODEL);
await initBackend();
await saveModel(buildModel(), dir, untrainedMetadata(BUNDLED_MODEL));
console.log(`wrote an untrained model to ${dir}`);
await exitWhenFlushed();
