/**
 * Evaluations the app has made (a training run's test figures, or evaluate.start's), one JSON
 * file each in <data folder>/evaluations, so they are there after a restart to compare and export.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Evaluation } from '../../../ml/evaluate.ts';
import type { TrainingOverlap } from '../../../shared/training-overlap.ts';
import type { EvaluationReport } from '../../transport/contract.ts';
import { ApiError } from '../../transport/errors.ts';

const FILE = /^[0-9a-f-]{36}\.json$/;

export interface EvaluationSubject {
  modelId: string;
  modelName: string;
  datasetSource: string;
  protocol: string;
  /** Left out where it is known not to apply (a training run's test clips are its held-out ones). */
  trainingOverlap?: TrainingOverlap | null;
}

export class EvaluationStore {
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly log: (message: string) => void,
  ) {
    this.dir = join(dataDir, 'evaluations');
  }

  /** clipPaths: the clips evaluated, so two evaluations can be told apart when on different clips. */
  async add(subject: EvaluationSubject, evaluation: Evaluation, clipPaths: readonly string[]): Promise<EvaluationReport> {
    const report: EvaluationReport = {
      evaluationId: randomUUID(),
      ...subject,
      clipsDigest: createHash('sha256').update([...clipPaths].sort().join('\n')).digest('hex'),
      labels: evaluation.labels,
      clips: evaluation.clips,
      accuracy: evaluation.accuracy,
      macroF1: evaluation.macroF1,
      weightedF1: evaluation.weightedF1,
      classes: evaluation.classes.map(({ label, precision, recall, f1, support }) => ({ label, precision, recall, f1, support })),
      confusion: evaluation.confusion,
      genders: evaluation.genders,
      genderGap: evaluation.genderGap,
      speakers: evaluation.speakers,
      calibration: evaluation.calibration,
      createdAt: new Date().toISOString(),
    };
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${report.evaluationId}.json`);
    await writeFile(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
    await rename(`${file}.tmp`, file);
    return report;
  }

  /** Oldest first. A damaged file is logged and left out rather than hiding the others. */
  async list(): Promise<EvaluationReport[]> {
    const names = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    const reports: EvaluationReport[] = [];
    for (const name of names.filter((n) => FILE.test(n))) {
      try {
        reports.push(JSON.parse(await readFile(join(this.dir, name), 'utf8')) as EvaluationReport);
      } catch (err) {
        this.log(`skipping evaluation ${name}: ${(err as Error).message}`);
      }
    }
    return reports.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(evaluationId: string): Promise<EvaluationReport> {
    const found = (await this.list()).find((r) => r.evaluationId === evaluationId);
    if (!found) throw new ApiError('not_found', `no evaluation ${evaluationId}`);
    return found;
  }
}
