import { Option, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportCsv } from '../../export/csv.ts';
import { evaluationHeader, evaluationRows } from '../../export/evaluation-csv.ts';
import { initBackend } from '../../ml/backend.ts';
import { Classifier } from '../../ml/classify.ts';
import { clipFeatures } from '../../ml/clip-features.ts';
import { evaluatePredictions } from '../../ml/evaluate.ts';
import { predictClips, predictRecordings, type ClipPrediction } from '../../ml/evaluate-model.ts';
import { FeatureCache } from '../../ml/feature-cache.ts';
import { loadModel } from '../../ml/model-store.ts';
import { makeSplit, SPLIT_PROTOCOLS, type SplitProtocol } from '../../ml/splits.ts';
import { corpusGroups, corpusRestriction, describeRestriction } from '../../ml/evaluated-classes.ts';
import { recordedSplit, recordedWindow } from '../../ml/training-metadata.ts';
import { trainingOverlap } from '../../ml/training-overlap.ts';
import { describeTrainingOverlap, overlapsTraining } from '../../shared/training-overlap.ts';
import { clipsForModel, withDataSetOptions, type DataSetFlags } from '../data-sources.ts';
import { modelWarning } from '../describe-model.ts';
import { formatEvaluation } from '../evaluation-report.ts';
import { ProgressBar } from '../progress.ts';
import { UsageError } from '../usage-error.ts';

interface EvaluateFlags extends DataSetFlags {
  model: string;
  split?: SplitProtocol;
  cache?: string;
  json?: string;
  csv?: string;
  wholeClip?: boolean;
  allClasses?: boolean;
}

export function registerEvaluate(program: Command): void {
  const command = program
    .command('evaluate')
    .description("measure a model on labelled clips: accuracy, macro-F1, per-class scores, confusion matrix, per-gender and per-speaker accuracy")
    .requiredOption('--model <dir>', 'model folder');
  withDataSetOptions(command, 'evaluate on')
    .addOption(
      new Option('--split <protocol>', "evaluate only the test clips of the split the model was trained with (as recorded in its metadata); without it, every clip").choices(SPLIT_PROTOCOLS),
    )
    .option('--whole-clip', "classify each clip as the app classifies a recording: the mean over all its windows (default: the training window only, as the model learnt)")
    .option('--all-classes', "score every clip over all the model's classes (default: over the classes its corpus has clips of, so a corpus without calm is never marked wrong for calm)")
    .option('--cache <dir>', 'feature cache folder (default: the per-user cache)')
    .option('--json <file>', 'write the evaluation as JSON')
    .option('--csv <file>', 'write per-class scores and the confusion matrix as CSV')
    .action(async (flags: EvaluateFlags) => {
      await initBackend();
      const { model, metadata } = await loadModel(flags.model);
      const warning = modelWarning(metadata);
      if (warning) console.error(warning);
      const data = await clipsForModel(flags, metadata.labels);
      const restriction = flags.allClasses ? null : corpusRestriction(data.items, metadata.labels);
      if (restriction) describeRestriction(restriction).forEach((note) => console.error(note));
      let items = data.items;
      let scope = 'all clips';
      if (flags.split) {
        const spec = recordedSplit(metadata);
        const recorded = spec?.protocol === 'all-speakers' ? 'speaker' : spec?.protocol;
        if (!spec || recorded !== flags.split) {
          throw new UsageError(`--split ${flags.split}: model "${metadata.name}" records ${spec ? `a ${spec.protocol} split` : 'no split'}; only the split it was trained with has test clips it never heard`);
        }
        const split = makeSplit(items, spec);
        if (split.test.length === 0) {
          throw new UsageError(`model "${metadata.name}" was trained on every speaker (${split.description}): it has no held-out speakers; its speaker-independent figure is the cross-validation in its metadata`);
        }
        items = split.test;
        scope = `test clips of ${split.description}`;
      }
      if (items.length === 0) throw new UsageError(`no clips labelled ${metadata.labels.join(', ')} to evaluate`);
      const overlap = trainingOverlap(metadata, items);
      const overlapNote = overlap && describeTrainingOverlap(overlap);
      if (overlap && overlapNote) {
        console.error(overlapsTraining(overlap) ? `warning: ${overlapNote}${flags.split ? '' : ' --split evaluates its test clips only.'}` : `note: ${overlapNote}`);
      }
      else if (!overlap && !flags.split && metadata.provenance.data && resolve(metadata.provenance.data) === data.summary.root) {
        console.error(`note: "${metadata.name}" was trained on this data set, so these clips include its training clips and the figures are inflated; --split evaluates its test clips only`);
      }

      const bar = new ProgressBar(items.length);
      const groups = corpusGroups(items, restriction);
      let predictions: ClipPrediction[] = [];
      if (flags.wholeClip) {
        const classifier = new Classifier(model, metadata);
        for (const { indices, allowed } of groups) {
          const before = predictions.length;
          predictions.push(...(await predictRecordings(classifier, indices.map((i) => items[i]), { allowed, onProgress: (done) => bar.update(before + done, 'clips') })));
        }
        scope += ', whole clips';
      } else {
        const inputs = await clipFeatures(items, new FeatureCache(flags.cache), { settings: metadata.features, window: recordedWindow(metadata) }, () => [null], {
          onProgress: (done) => bar.update(done, 'features'),
        });
        predictions = groups.flatMap(({ indices, allowed }) =>
          predictClips(
            model,
            metadata.labels,
            indices.map((i) => items[i]),
            indices.map((i) => inputs[i][0]),
            metadata.calibration?.temperature,
            allowed,
          ),
        );
      }
      bar.clear();
      const evaluation = evaluatePredictions(restriction?.labels ?? metadata.labels, predictions);
      const report = formatEvaluation(evaluation, `${metadata.name} on ${scope}`);
      console.log(overlapNote ? `${report}\n\nTraining overlap: ${overlapNote}` : report);
      const excludedClasses = restriction?.excluded ?? [];
      if (flags.json) await writeFile(flags.json, `${JSON.stringify({ model: metadata.name, scope, excludedClasses, trainingOverlap: overlap, ...evaluation }, null, 2)}\n`);
      if (flags.csv) {
        const subject = { modelId: resolve(flags.model), modelName: metadata.name, dataset: data.summary.root, evaluatedAt: new Date().toISOString() };
        await exportCsv(flags.csv, evaluationHeader(evaluation.labels), evaluationRows(subject, evaluation.labels, evaluation.confusion));
      }
    });
}
