import { describe, expect, it } from 'vitest';
import { AgreementTally, headlineKappa, MISSING, type AgreementFigures } from '../../electron/annotation/agreement.ts';
import { Categories, disagreementSegments, frameCodes, frameCount, frameRatings, NONE } from '../../electron/annotation/frame-grid.ts';
import { ANNOTATOR_A, ANNOTATOR_B, TWO_ANNOTATORS } from '../helpers/agreement-fixtures.ts';

/** Figures of units given as rows of category indices (null: no rating). */
function agreement(units: readonly (readonly (number | null)[])[], categories: number): AgreementFigures {
  const tally = new AgreementTally(categories, units[0].length);
  for (const unit of units) tally.add(unit.map((c) => c ?? MISSING));
  return tally.figures();
}

/** count copies of one unit's ratings. */
const repeat = (count: number, ratings: number[]) => Array.from({ length: count }, () => ratings);

describe('Cohen kappa', () => {
  // Wikipedia, "Cohen's kappa", worked example: 50 grant proposals, A and B say yes (0) or no (1).
  const proposals = [...repeat(20, [0, 0]), ...repeat(5, [0, 1]), ...repeat(10, [1, 0]), ...repeat(15, [1, 1])];

  it('is 0.4 for the 50 proposals (p_o 0.7, p_e 0.5), with their confusion matrix', () => {
    const figures = agreement(proposals, 2);
    expect(figures.cohen?.confusion).toEqual([
      [20, 5],
      [10, 15],
    ]);
    expect(figures.observedAgreement).toBeCloseTo(0.7, 12);
    expect(figures.cohen?.kappa).toBeCloseTo(0.4, 12);
    expect(headlineKappa(figures)).toEqual({ kind: 'cohen', value: figures.cohen?.kappa });
    expect(figures.units).toBe(50);
  });

  it('gives, for the same two raters, Scott-style pooled chance in Fleiss and alpha', () => {
    const figures = agreement(proposals, 2);
    // Pooled yes share (25 + 30) / 100: p_e = 0.55^2 + 0.45^2 = 0.505, kappa = 0.195 / 0.495.
    expect(figures.fleissKappa).toBeCloseTo(0.195 / 0.495, 12);
    // n = 100, sum o_cc = 2 * 35 = 70, n_c = 55 and 45: alpha = 1 - 99 * 30 / (10,000 - 3,025 - 2,025) = 0.4.
    expect(figures.krippendorffAlpha).toBeCloseTo(0.4, 12);
  });

  it('is undefined when both raters use one category throughout, and 1 for perfect agreement otherwise', () => {
    const same = agreement(repeat(4, [1, 1]), 3);
    expect(same.observedAgreement).toBe(1);
    expect(same.cohen?.kappa).toBeNull();
    expect(same.fleissKappa).toBeNull();
    expect(same.krippendorffAlpha).toBeNull();
    const perfect = agreement([...repeat(3, [0, 0]), [2, 2]], 3);
    expect(perfect.cohen?.kappa).toBe(1);
    expect(perfect.krippendorffAlpha).toBe(1);
  });

  it('is negative when raters disagree more than chance: two units rated 0 1 and 1 0', () => {
    // p_o = 0, p_e = 0.5 * 0.5 * 2 = 0.5: kappa = -1.
    expect(agreement([[0, 1], [1, 0]], 2).cohen?.kappa).toBe(-1);
  });
});

describe('Fleiss kappa', () => {
  // Fleiss (1971) as worked on Wikipedia, "Fleiss' kappa": 10 subjects, 14 raters, 5 categories.
  const table = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  /** A subject's 14 ratings: category j written n_ij times (who gave which does not enter Fleiss' kappa). */
  const ratings = table.map((counts) => counts.flatMap((n, j) => Array<number>(n).fill(j)));

  it('is 0.210 with P-bar 0.378 and P-bar_e 0.213', () => {
    const figures = agreement(ratings, 5);
    expect(figures.raters).toBe(14);
    expect(figures.units).toBe(10);
    // P_i = (sum_j n_ij^2 - 14) / (14 * 13): 1.000, 0.253, 0.308, 0.440, 0.330, 0.462, 0.242, 0.176, 0.286, 0.286;
    // p_j = 0.143, 0.200, 0.279, 0.150, 0.229, so P-bar_e = sum_j p_j^2 = 0.213 and kappa = (0.378 - 0.213) / (1 - 0.213).
    expect(figures.observedAgreement).toBeCloseTo(0.378, 3);
    expect(figures.fleissKappa).toBeCloseTo(0.21, 3);
    expect(figures.cohen).toBeUndefined();
    expect(headlineKappa(figures)).toEqual({ kind: 'fleiss', value: figures.fleissKappa });
  });

  it('leaves units with a missing rating out of kappa but not out of alpha', () => {
    const withGap = [...ratings, [MISSING, ...ratings[0].slice(1)]];
    const figures = agreement(withGap, 5);
    expect(figures.units).toBe(10);
    expect(figures.pairableUnits).toBe(11);
    expect(figures.fleissKappa).toBe(agreement(ratings, 5).fleissKappa);
  });
});

describe('Krippendorff alpha, nominal', () => {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", C.: 4 observers, 12 units,
  // values 1-5 (index 0 unused here), missing data; alpha = 1 - 39 * 8 / (40^2 - 384) = 0.743.
  const _ = null;
  const observers = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
  ];
  const units = observers[0].map((_, u) => observers.map((o) => o[u]));

  it('is 0.743 over the 11 pairable units (unit 12 has one value)', () => {
    const figures = agreement(units, 6);
    expect(figures.krippendorffAlpha).toBeCloseTo(1 - (39 * 8) / (1600 - 384), 12);
    expect(figures.krippendorffAlpha).toBeCloseTo(0.743, 3);
    expect(figures.pairableUnits).toBe(11);
    // Units 2-9 have all four values.
    expect(figures.units).toBe(8);
  });

  it('needs two raters', () => {
    expect(() => new AgreementTally(2, 1)).toThrow('at least two raters');
  });
});

describe('frame grid', () => {
  const categories = new Categories(['happy', 'sad']);

  it('counts the frames whose centre lies inside the span', () => {
    expect(frameCount(1, 0.01)).toBe(100);
    expect(frameCount(3, 0.01)).toBe(300);
    // Centres 0.005 and 0.015 lie before 0.02; 0.025 does not lie before 0.025.
    expect(frameCount(0.02, 0.01)).toBe(2);
    expect(frameCount(0.025, 0.01)).toBe(2);
    expect(frameCount(0.026, 0.01)).toBe(3);
  });

  it('labels a frame by the span holding its centre, gaps as none, later spans over earlier ones', () => {
    const codes = (spans: { startSec: number; endSec: number; label: string }[]) =>
      [...frameCodes(spans, categories, 6, 0.01)].map((c) => categories.names[c]);
    // Centres 0.005, 0.015, ..., 0.055: a span from 0.012 to 0.038 holds frames 1, 2, 3.
    expect(codes([{ startSec: 0.012, endSec: 0.038, label: 'sad' }])).toEqual([NONE, 'sad', 'sad', 'sad', NONE, NONE]);
    // A start on a centre takes that frame; an end on a centre does not.
    expect(codes([{ startSec: 0.015, endSec: 0.035, label: 'sad' }])).toEqual([NONE, 'sad', 'sad', NONE, NONE, NONE]);
    expect(
      codes([
        { startSec: 0, endSec: 0.06, label: 'happy' },
        { startSec: 0.02, endSec: 0.04, label: 'sad' },
      ]),
    ).toEqual(['happy', 'happy', 'sad', 'sad', 'happy', 'happy']);
    expect(() => codes([{ startSec: 0, endSec: 1, label: 'angry' }])).toThrow('"angry" is not one of the categories (happy, sad, none)');
  });

  it('gives the hand-worked two-annotator figures and their disagreement segments', () => {
    const grid = [ANNOTATOR_A, ANNOTATOR_B].map((spans) => frameCodes(spans, categories, TWO_ANNOTATORS.frames, 0.01));
    const tally = new AgreementTally(3, 2);
    for (const ratings of frameRatings(grid, TWO_ANNOTATORS.frames)) tally.add(ratings);
    const figures = tally.figures();
    expect(figures.units).toBe(TWO_ANNOTATORS.frames);
    expect(figures.cohen?.confusion).toEqual([
      [30, 20, 0],
      [0, 30, 20],
      [0, 0, 0],
    ]);
    expect(figures.observedAgreement).toBeCloseTo(TWO_ANNOTATORS.observedAgreement, 12);
    expect(figures.cohen?.kappa).toBeCloseTo(TWO_ANNOTATORS.cohenKappa, 12);
    expect(figures.krippendorffAlpha).toBeCloseTo(TWO_ANNOTATORS.krippendorffAlpha, 12);
    expect(disagreementSegments(grid, TWO_ANNOTATORS.frames, 0.01, categories)).toEqual(TWO_ANNOTATORS.disagreements);
  });

  it('splits a disagreement where the labels change, and skips frames with fewer than two ratings', () => {
    const three = new Categories(['a', 'b', 'c']);
    const grid = [Int32Array.from([0, 0, 0, 0, 1]), Int32Array.from([0, 1, 1, 2, 0]), null];
    expect(disagreementSegments(grid, 5, 0.1, three)).toEqual([
      { startSec: 0.1, endSec: 0.3, labels: ['a', 'b', null] },
      { startSec: 0.3, endSec: 0.4, labels: ['a', 'c', null] },
      { startSec: 0.4, endSec: 0.5, labels: ['b', 'a', null] },
    ]);
    expect(disagreementSegments([grid[0], null, null], 5, 0.1, three)).toEqual([]);
  });
});
