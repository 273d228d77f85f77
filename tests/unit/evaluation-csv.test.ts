/** An evaluation's CSV read back: the subject columns on every row, the scores and the confusion matrix after them. */
import { csvParse } from 'd3-dsv';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportCsv } from '../../electron/export/csv.ts';
import { evaluationHeader, evaluationRows } from '../../electron/export/evaluation-csv.ts';

const dir = mkdtempSync(join(tmpdir(), 'ser-evaluation-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evaluation CSV', () => {
  it('names the model, the data set, the clips and the time on every row, quoted where they need it', async () => {
    const subject = { modelId: 'clinic-v2', modelName: 'Clinic, second try', dataset: '/data/ward "3"', evaluatedAt: '2026-12-02T10:00:00.000Z' };
    const file = join(dir, 'evaluation.csv');
    const rows = await exportCsv(file, evaluationHeader(['calm', 'sad']), evaluationRows(subject, ['calm', 'sad'], [[3, 1], [2, 4]]));
    expect(rows).toBe(5);
    const table = csvParse(readFileSync(file, 'utf8'));
    expect(table.columns).toEqual(['model_id', 'model', 'dataset', 'clips', 'evaluated_at', 'label', 'support', 'precision', 'recall', 'f1', 'predicted_calm', 'predicted_sad']);
    for (const row of table) expect([row.model_id, row.model, row.dataset, row.clips, row.evaluated_at]).toEqual(['clinic-v2', 'Clinic, second try', '/data/ward "3"', '10', subject.evaluatedAt]);
    expect(table.map((r) => r.label)).toEqual(['calm', 'sad', 'macro avg', 'weighted avg', 'accuracy']);
    expect([table[0].predicted_calm, table[0].predicted_sad, table[1].predicted_calm, table[1].predicted_sad].map(Number)).toEqual([3, 1, 2, 4]);
    // calm: precision 3/5, recall 3/4; accuracy 7/10.
    expect([Number(table[0].precision), Number(table[0].recall)]).toEqual([0.6, 0.75]);
    expect(Number(table[4].f1)).toBe(0.7);
  });
});
