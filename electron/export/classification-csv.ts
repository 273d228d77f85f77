import { stringify, type Stringifier } from 'csv-stringify';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { FileFailure, FileResult, Probabilities } from '../ml/classify.ts';

/**
 * Writes classification results as CSV: one 'file' row per recording (mean of its windows) and one
 * 'window' row per window, with every class probability. Failed files get a row with the error so
 * the report accounts for every input.
 */
export class ClassificationCsv {
  private readonly csv: Stringifier;
  private readonly done: Promise<void>;

  private constructor(
    out: WriteStream,
    private readonly labels: readonly string[],
    private readonly model: string,
  ) {
    this.csv = stringify({
      header: true,
      columns: ['file', 'scope', 'start_s', 'end_s', 'label', 'confidence', ...labels.map((l) => `p_${l}`), 'model', 'error'],
    });
    this.csv.pipe(out);
    this.done = finished(out);
    // close() awaits this; until then a late write error must not crash the process.
    this.done.catch(() => undefined);
  }

  /** Opens the file first, so an unwritable path fails before any work is done. */
  static async create(path: string, labels: readonly string[], model: string): Promise<ClassificationCsv> {
    const out = createWriteStream(path);
    try {
      await once(out, 'open');
    } catch (err) {
      throw new Error(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return new ClassificationCsv(out, labels, model);
  }

  add(result: FileResult | FileFailure): void {
    if ('error' in result) {
      this.csv.write([result.file, 'file', '', '', '', '', ...this.labels.map(() => ''), this.model, result.error]);
      return;
    }
    const row = (scope: string, start: number, end: number, p: Probabilities) => {
      const label = this.labels.reduce((a, b) => (p[b] > p[a] ? b : a));
      this.csv.write([result.file, scope, start, end, label, p[label], ...this.labels.map((l) => p[l]), this.model, '']);
    };
    const end = result.windows.length ? result.windows[result.windows.length - 1].end : 0;
    row('file', 0, end, result.probabilities);
    for (const w of result.windows) row('window', w.start, w.end, w.probabilities);
  }

  async close(): Promise<void> {
    this.csv.end();
    await this.done;
  }
}
