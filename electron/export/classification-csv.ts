import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileFailure, FileResult, Probabilities } from '../ml/classify.ts';
import { AsyncQueue } from '../shared/async-queue.ts';
import { ExportError, exportCsv, type CsvCell } from './csv.ts';
import { round6 } from './numbers.ts';

/**
 * The CSV report of a `ser classify` run, written while files are classified: one 'file' row per
 * recording (the mean of its windows) then one 'window' row per window, with every class
 * probability and the outcome (the top label, or "uncertain" below the run's threshold). A file
 * that failed gets a row with its error, so the report accounts for every input.
 */
export class ClassificationCsv {
  private readonly rows = new AsyncQueue<CsvCell[]>();
  private readonly written: Promise<number>;

  private constructor(
    path: string,
    private readonly labels: readonly string[],
    private readonly model: string,
  ) {
    const header = ['path', 'scope', 'start_s', 'end_s', 'top_label', 'confidence', 'outcome', ...labels.map((l) => `p_${l}`), 'model', 'error'];
    this.written = exportCsv(path, header, this.rows);
    // close() awaits this; until then a write error must not surface as an unhandled rejection.
    this.written.catch(() => undefined);
  }

  /** Checks the folder is writable first, so a bad path fails before any audio is classified. */
  static async create(path: string, labels: readonly string[], model: string): Promise<ClassificationCsv> {
    try {
      await access(dirname(path), constants.W_OK);
    } catch (err) {
      throw new ExportError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'folder does not exist' : 'permission denied'}`);
    }
    return new ClassificationCsv(path, labels, model);
  }

  add(result: FileResult | FileFailure): void {
    if ('error' in result) {
      this.rows.push([result.file, 'file', null, null, null, null, null, ...this.labels.map(() => null), this.model, result.error]);
      return;
    }
    const row = (scope: string, start: number, end: number, p: Probabilities, outcome: string): CsvCell[] => {
      const top = this.labels.reduce((a, b) => (p[b] > p[a] ? b : a));
      return [result.file, scope, round6(start), round6(end), top, round6(p[top]), outcome, ...this.labels.map((l) => round6(p[l])), this.model, null];
    };
    const end = Math.max(0, ...result.windows.map((w) => w.end));
    this.rows.push(row('file', 0, end, result.probabilities, result.outcome));
    for (const w of result.windows) this.rows.push(row('window', w.start, w.end, w.probabilities, w.outcome));
  }

  async close(): Promise<void> {
    this.rows.close();
    await this.written;
  }
}
