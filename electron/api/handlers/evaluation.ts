import { exportCsv } from '../../export/csv.ts';
import { evaluationHeader, evaluationRows } from '../../export/evaluation-csv.ts';
import type { ApiHandlers } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { fromEngine } from '../transport/errors.ts';
import { startEvaluation } from '../services/evaluation/evaluate-job.ts';
import type { EvaluationOutcome } from '../services/evaluation/evaluate-protocol.ts';

/** How the figures were made, in words the evaluation view shows beside them. */
function protocolOf(outcome: EvaluationOutcome): string {
  const parts = ['every clip of the data set labelled with one of the model\'s labels'];
  // The overlap, where the model records it, is shown as a warning of its own.
  if (outcome.trainingOverlap === null && outcome.trainedOnThis) parts.push('the model was trained on this data set, so these clips include its training clips and the figures are inflated');
  return [...parts, ...outcome.notes].join('; ');
}

export function evaluationHandlers(c: ServiceContext): Pick<ApiHandlers, 'evaluate.start' | 'evaluations.list' | 'evaluations.export'> {
  return {
    'evaluate.start': async ({ modelId, datasetId }) => {
      const model = await c.models.get(modelId);
      const dataset = c.datasets.get(datasetId);
      const jobId = c.jobs.start('evaluate', async (job) => {
        const run = startEvaluation({ modelDir: model.dir, data: dataset.data, cacheDir: c.cacheDir, wasmDir: c.wasmDir }, (done, total) =>
          job.progress(done, total, 'features'),
        );
        job.signal.addEventListener('abort', () => run.cancel(), { once: true });
        const outcome = await run.result.catch((err: unknown) => {
          throw fromEngine(err);
        });
        return c.evaluations.add(
          { modelId, modelName: model.name, datasetSource: dataset.report.source, protocol: protocolOf(outcome), trainingOverlap: outcome.trainingOverlap },
          outcome.evaluation,
          outcome.clipPaths,
        );
      });
      return { jobId };
    },
    'evaluations.list': () => c.evaluations.list(),
    'evaluations.export': async ({ evaluationId, path }) => {
      const report = await c.evaluations.get(evaluationId);
      const target = c.paths.writablePath(path);
      const subject = { modelId: report.modelId, modelName: report.modelName, dataset: report.datasetSource, evaluatedAt: report.createdAt };
      const rows = await exportCsv(target, evaluationHeader(report.labels), evaluationRows(subject, report.labels, report.confusion));
      return { path: target, rows };
    },
  };
}
