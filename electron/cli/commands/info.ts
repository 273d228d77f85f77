import type { Command } from 'commander';
import { createRequire } from 'node:module';
import { initBackend } from '../../ml/backend.ts';
import { loadModel } from '../../ml/model-store.ts';
import { bundledModelDir } from '../../ml/model-location.ts';
import { describeModel } from '../describe-model.ts';

const require = createRequire(import.meta.url);

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('print versions, the active TensorFlow.js backend and the model with its metrics')
    .option('--model <dir>', 'model folder (default: the bundled model)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { model?: string; json?: boolean }) => {
      const app = require('../../../package.json') as { name: string; version: string };
      const tfVersion = (require('@tensorflow/tfjs/package.json') as { version: string }).version;
      const backend = await initBackend();
      const dir = opts.model ?? bundledModelDir();
      const { metadata } = await loadModel(dir);
      if (opts.json) {
        const info = { app: app.version, node: process.version, tfjs: tfVersion, backend, model: { dir, ...metadata } };
        process.stdout.write(`${JSON.stringify(info)}\n`);
        return;
      }
      console.log(`SER Studio ${app.version} (Node ${process.version}, TensorFlow.js ${tfVersion})`);
      console.log(`Backend: ${backend.name}: ${backend.reason}`);
      console.log(describeModel(dir, metadata));
    });
}
