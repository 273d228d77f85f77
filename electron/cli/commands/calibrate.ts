import { Option, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { initBackend } from '../../ml/backend.ts';
import { describeCalibration } from '../../ml/calibration.ts';
import { clipFeatures } from '../../ml/clip-features.ts';
import { FeatureCache } from '../../ml/feature-cache.ts';
import { predictBatch } from '../../ml/infer.ts';
import { loadModel } from '../../ml/model-store.ts';
import { calibrateOnSpeakers, speakerOrClip } from '../../ml/speaker-calibration.ts';
import { makeSplit } from '../../ml/splits.ts';
import { recordedSplit, recordedWindow, updateModelMetadata } from '../../ml/training-metadata.ts';
import { clipsForModel, withDataSetOptions, type DataSetFlags } from '../data-sources.ts';
import { ProgressBar } from '../progress.ts';
import { UsageError } from '../usage-error.ts';

const CLIP_CHOICES = ['validation', 'all'] as const;

interface CalibrateFlags extends DataSetFlags {
  model: string;
  clips: (typeof CLIP_CHOICES)[number];
  targetPrecision: number;
  cache?: string;
  dryRun?: boolean;
  json?: string;
}

function precision(value: string): number {
  const p = Number(value);
  if (!(p > 0 && p < 1)) throw new UsageError(`--target-precision: expected a number between 0 and 1, got "${value}"`);
  return p;
}

export function registerCalibrate(program: Command): void {
  const command = program
    .command('calibrate')
    .description("fit temperature scaling and the \"uncertain\" threshold of a model on labelled clips it did not train on, and write them into its metadata.json")
    .requiredOption('--model <dir>', 'model folder (its metadata.json is rewritten)');
  withDataSetOptions(command, 'calibrate on')
    .addOption(
      new Option('--clips <which>', "validation: the validation speakers of the split the model records (the clips that stopped its training); all: every clip given (your own held-out labelled clips)")
        .choices(CLIP_CHOICES)
        .default('validation'),
    )
    .option('--target-precision <p>', 'the threshold keeps the most answers that are right at least this often', precision, 0.8)
    .option('--cache <dir>', 'feature cache folder (default: the per-user cache)')
    .option('--dry-run', 'print the calibration without writing it')
    .option('--json <file>', 'write the calibration as JSON')
    .action(async (flags: CalibrateFlags) => {
      await initBackend();
      const { model, metadata } = await loadModel(flags.model);
      const data = await clipsForModel(flags, metadata.labels);
      let items = data.items;
      if (flags.clips === 'validation') {
        const spec = recordedSplit(metadata);
        if (!spec) throw new UsageError(`model "${metadata.name}" records no split, so its validation speakers are unknown: give clips it never trained on with --clips all`);
        const split = makeSplit(items, spec);
        items = split.validation;
        console.error(`calibrating on the validation side of ${split.description}: ${items.length} clips`);
      }
      if (items.length === 0) throw new UsageError(`no clips labelled ${metadata.labels.join(', ')} to calibrate on`);
      const bar = new ProgressBar(items.length);
      const inputs = await clipFeatures(items, new FeatureCache(flags.cache), { settings: metadata.features, window: recordedWindow(metadata) }, () => [null], {
        onProgress: (done) => bar.update(done, 'features'),
      });
      bar.clear();
      const index = new Map(metadata.labels.map((label, i) => [label, i]));
      const calibration = calibrateOnSpeakers(
        predictBatch(
          model,
          inputs.map((copies) => copies[0]),
        ),
        items.map((item) => index.get(item.label)!),
        items.map(speakerOrClip),
        flags.targetPrecision,
      );
      console.log(describeCalibration(calibration));
      if (flags.json) await writeFile(flags.json, `${JSON.stringify(calibration, null, 2)}\n`);
      if (flags.dryRun) return;
      await updateModelMetadata(flags.model, (m) => ({ ...m, calibration }));
      console.error(`wrote the calibration into ${flags.model}/metadata.json`);
    });
}
