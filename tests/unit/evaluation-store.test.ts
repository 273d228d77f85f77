import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvaluationStore } from '../../electron/api/services/evaluation/evaluation-store.ts';
import { evaluatePredictions } from '../../electron/ml/evaluate.ts';

const dir = mkdtempSync(join(tmpdir(), 'ser-evaluation-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saved evaluations', () => {
  const store = new EvaluationStore(dir, () => undefined);
  const subject = { modelId: 'm', modelName: 'm', datasetSource: '/data', protocol: 'every clip' };
  const evaluation = evaluatePredictions(['a', 'b'], [
    { label: 'a', predicted: 'a', confidence: 0.9 },
    { label: 'b', predicted: 'a', confidence: 0.6 },
  ]);

  it('tell evaluations on the same clips (in any order) from those on different clips', async () => {
    const first = await store.add(subject, evaluation, ['/data/x.wav', '/data/y.wav']);
    const reordered = await store.add(subject, evaluation, ['/data/y.wav', '/data/x.wav']);
    const other = await store.add(subject, evaluation, ['/data/x.wav', '/data/z.wav']);
    expect(first.clipsDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(reordered.clipsDigest).toBe(first.clipsDigest);
    expect(other.clipsDigest).not.toBe(first.clipsDigest);
    expect((await store.get(other.evaluationId)).clipsDigest).toBe(other.clipsDigest);
  });

  it('keep the reliability bins and the expected calibration error for the diagram', async () => {
    const report = await store.add(subject, evaluation, ['/data/x.wav', '/data/y.wav']);
    // 0.9 right in bin 13, 0.6 wrong in bin 8: ECE = (0.1 + 0.6) / 2
    expect(report.calibration?.ece).toBeCloseTo(0.35, 12);
    expect(report.calibration?.bins.filter((b) => b.count > 0).map((b) => [b.lower, b.accuracy])).toEqual([
      [8 / 15, 0],
      [13 / 15, 1],
    ]);
  });
});
