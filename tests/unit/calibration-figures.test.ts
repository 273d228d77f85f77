/** The model card's calibration paragraph (scripts/calibration-figures.ts) states what the metadata holds, and judges it against the target. */
import { describe, expect, it } from 'vitest';
import type { ModelCalibration } from '../../electron/ml/metadata.ts';
import { formatCalibrationFigures } from '../../scripts/calibration-figures.ts';

const base: ModelCalibration = {
  temperature: 1.5,
  minConfidence: 0.62,
  targetPrecision: 0.8,
  coverage: 0.64,
  precision: 0.81,
  validationClips: 200,
  ece: { before: 0.12, after: 0.03 },
  crossFitted: { ece: { before: 0.12, after: 0.071 }, clips: 200, speakers: 4 },
};

describe('the calibration paragraph', () => {
  it('quotes the errors and says by how much the unseen-speaker one misses the target', () => {
    const text = formatCalibrationFigures(base);
    expect(text).toContain('temperature 1.50');
    expect(text).toContain('0.120 raw, 0.030 scaled');
    expect(text).toContain('**0.120 -> 0.071**, 0.021 above the 0.05 target');
    expect(text).toContain('below **62%** top probability');
    expect(text).toContain('81% right on the **64%** of clips kept;');
  });

  it('says when the target is met, when most answers read uncertain, and when nothing can be', () => {
    expect(formatCalibrationFigures({ ...base, crossFitted: { ...base.crossFitted!, ece: { before: 0.1, after: 0.04 } } })).toContain('within the 0.05 target');
    expect(formatCalibrationFigures({ ...base, coverage: 0.07 })).toContain('of clips kept, so most answers read "uncertain"');
    expect(formatCalibrationFigures({ ...base, minConfidence: null, coverage: null, precision: null })).toContain('nothing is marked "uncertain"');
    expect(formatCalibrationFigures(undefined)).toMatch(/^Not calibrated/);
  });
});
