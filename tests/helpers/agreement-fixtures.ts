/**
 * Two annotators on one 1 s recording, worked by hand on the 10 ms grid (100 frames, no boundary
 * on a frame centre):
 *   A: happy 0-0.5 s, sad 0.5-1.0 s            -> happy 50, sad 50
 *   B: happy 0-0.3 s, sad 0.3-0.8 s, gap after -> happy 30, sad 50, none 20
 * Confusion (A rows, B columns): happy/happy 30, happy/sad 20, sad/sad 30, sad/none 20.
 * Cohen: p_o = 60/100, p_e = (50*30 + 50*50 + 0*20) / 100^2 = 0.4, kappa = 0.2 / 0.6 = 1/3.
 * Krippendorff: n = 200 values, sum o_cc = 2 * 60 = 120, n_c = 80, 100, 20 (sum of squares 16,800),
 * alpha = 1 - 199 * 80 / (40,000 - 16,800) = 1 - 199/290 = 91/290.
 * Disagreements: 0.3-0.5 s happy against sad, 0.8-1.0 s sad against none.
 */
export const ANNOTATOR_A = [
  { startSec: 0, endSec: 0.5, label: 'happy' },
  { startSec: 0.5, endSec: 1, label: 'sad' },
];
export const ANNOTATOR_B = [
  { startSec: 0, endSec: 0.3, label: 'happy' },
  { startSec: 0.3, endSec: 0.8, label: 'sad' },
];
export const TWO_ANNOTATORS = {
  frames: 100,
  observedAgreement: 0.6,
  cohenKappa: 1 / 3,
  krippendorffAlpha: 91 / 290,
  disagreements: [
    { startSec: 0.3, endSec: 0.5, labels: ['happy', 'sad'] },
    { startSec: 0.8, endSec: 1, labels: ['sad', 'none'] },
  ],
};
