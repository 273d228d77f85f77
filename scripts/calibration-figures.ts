/**
 * The model card's paragraph on calibrated confidence, from what `ser calibrate` (or training)
 * wrote into the model's metadata.json: the temperature, the expected calibration error before and
 * after scaling, in-sample and on speakers the temperature was not fitted on, and the threshold
 * under which answers read "uncertain", with the share of clips it keeps.
 */
import type { ModelCalibration } from '../electron/ml/metadata.ts';

/** The target for the error after scaling, on unseen speakers. */
const ECE_TARGET = 0.05;

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

export function formatCalibrationFigures(c: ModelCalibration | undefined): string {
  if (!c) return 'Not calibrated: the model gives its raw outputs and marks nothing uncertain.';
  const out = [
    `Temperature scaling fitted on ${c.validationClips} validation clips: temperature ${c.temperature.toFixed(2)}; expected calibration error (15 bins) ${c.ece.before.toFixed(3)} raw, ${c.ece.after.toFixed(3)} scaled, on the clips it was fitted on.`,
  ];
  if (c.crossFitted) {
    const { before, after } = c.crossFitted.ece;
    const verdict = after <= ECE_TARGET ? `within the ${ECE_TARGET} target` : `${(after - ECE_TARGET).toFixed(3)} above the ${ECE_TARGET} target`;
    out.push(
      `On speakers it was not fitted on (each half of the ${c.crossFitted.speakers} validation speakers scaled by the other half's temperature): **${before.toFixed(3)} -> ${after.toFixed(3)}**, ${verdict}.`,
    );
  }
  out.push(
    c.minConfidence === null
      ? `No threshold on the top probability reaches ${pct(c.targetPrecision)} precision on those clips, so nothing is marked "uncertain".`
      : `Answers below **${pct(c.minConfidence)}** top probability read "uncertain" (the lowest threshold at which the kept validation clips are right at least ${pct(c.targetPrecision)} of the time): ${pct(c.precision ?? 0)} right on the **${pct(c.coverage ?? 0)}** of clips kept${(c.coverage ?? 0) < 0.5 ? ', so most answers read "uncertain"' : ''}; \`ser classify --min-confidence\` and \`ser export predictions --min-confidence\` choose another.`,
  );
  return out.join(' ');
}
