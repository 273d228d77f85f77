/**
 * Calibration judged on speakers it was not fitted on (electron/ml/speaker-calibration.ts) and
 * `ser calibrate`, against hand-worked temperatures and errors.
 */
import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCalibrate } from '../../electron/cli/commands/calibrate.ts';
import { ModelMetadataSchema } from '../../electron/ml/metadata.ts';
import { calibrateOnSpeakers, crossFittedError, speakerHalves } from '../../electron/ml/speaker-calibration.ts';
import { writeToyDataset, type ToyDataset } from '../helpers/toy-data.ts';
import { writeConstantModel } from '../helpers/toy-model.ts';

/** Every clip answered [0.9, 0.1]; speaker s1's clips are class 0 six times in ten, s2's eight times in ten. */
function overconfident(): { probabilities: Float32Array[]; labels: number[]; speakers: string[] } {
  const labels = [...[0, 0, 0, 0, 0, 0, 1, 1, 1, 1], ...[0, 0, 0, 0, 0, 0, 0, 0, 1, 1]];
  return {
    probabilities: labels.map(() => Float32Array.of(0.9, 0.1)),
    labels,
    speakers: labels.map((_, i) => (i < 10 ? 's1' : 's2')),
  };
}

describe('calibration on speakers it was not fitted on', () => {
  it('deals sorted speakers alternately, in numeric order', () => {
    expect(speakerHalves(['c:10', 'c:2', 'c:3', 'c:2'])).toEqual([['c:2', 'c:10'], ['c:3']]);
  });

  it("scores each half with the other half's temperature", () => {
    const { probabilities, labels, speakers } = overconfident();
    // s1's temperature makes the top 0.6 (ln 9 / T = ln 1.5), applied to s2 (right 0.8 of the time): 0.2 off;
    // s2's makes it 0.8 (ln 9 / T = ln 4), applied to s1 (right 0.6): 0.2 off. Raw: 0.9 against 0.7.
    const crossFitted = crossFittedError(probabilities, labels, speakers)!;
    expect(crossFitted.ece.before).toBeCloseTo(0.2, 6);
    expect(crossFitted.ece.after).toBeCloseTo(0.2, 5);
    expect(crossFitted.halves).toEqual([['s1'], ['s2']]);
    // Fitted on both (right 0.7): top 0.7 exactly, so the in-sample error vanishes where the cross-fitted one does not.
    const calibration = calibrateOnSpeakers(probabilities, labels, speakers);
    expect(calibration.temperature).toBeCloseTo(Math.log(9) / Math.log(7 / 3), 5);
    expect(calibration.ece.after).toBeCloseTo(0, 5);
    expect(calibration.crossFitted).toEqual({ ece: crossFitted.ece, clips: 20, speakers: 2 });
  });

  it('has no cross-fitted error with one speaker', () => {
    const { probabilities, labels } = overconfident();
    expect(crossFittedError(probabilities, labels, labels.map(() => 'only'))).toBeNull();
    expect(calibrateOnSpeakers(probabilities, labels, labels.map(() => 'only')).crossFitted).toBeUndefined();
  });
});

describe('ser calibrate', () => {
  let dir: string;
  let model: string;
  let data: ToyDataset;

  async function calibrateCli(...args: string[]): Promise<string[]> {
    const program = new Command('ser').exitOverride();
    registerCalibrate(program);
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await program.parseAsync(['node', 'ser', 'calibrate', '--model', model, '--cache', join(dir, 'cache'), ...args]);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    return out;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ser-calibrate-'));
    // softmax([1, 0, 2]) for every clip: always noise, at e²/(e + 1 + e²).
    model = await writeConstantModel(join(dir, 'model'), 'constant', ['low', 'high', 'noise'], [1, 0, 2]);
    data = writeToyDataset(join(dir, 'data'), { classes: ['low', 'high', 'noise'], clipsPerClass: 2, speakers: 2, seconds: 0.6 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses validation clips of a model that records no split', async () => {
    await expect(calibrateCli('--labels-csv', data.csv)).rejects.toThrow(/records no split/);
  });

  it('fits the temperature on the clips given and writes it into metadata.json', async () => {
    const out = await calibrateCli('--labels-csv', data.csv, '--clips', 'all');
    // Labels spread evenly over the classes whatever the answer: the fit flattens the outputs as far as it may (T = 20).
    const metadata = ModelMetadataSchema.parse(JSON.parse(readFileSync(join(model, 'metadata.json'), 'utf8')));
    const calibration = metadata.calibration!;
    expect(calibration.temperature).toBeCloseTo(20, 4);
    const raw = Math.exp(2) / (Math.exp(1) + 1 + Math.exp(2));
    const scaled = Math.exp(0.1) / (Math.exp(0.05) + 1 + Math.exp(0.1));
    expect(calibration.ece.before).toBeCloseTo(raw - 1 / 3, 6);
    expect(calibration.ece.after).toBeCloseTo(scaled - 1 / 3, 6);
    // A third right at any threshold: none reaches 80%, so nothing is marked uncertain.
    expect(calibration.minConfidence).toBeNull();
    expect(calibration.validationClips).toBe(6);
    expect(calibration.crossFitted?.speakers).toBe(2);
    expect(out.join('\n')).toContain('temperature 20.00');
  });
});
