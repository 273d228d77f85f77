/**
 * Calibrated confidence (Guo et al. 2017, "On calibration of modern neural networks"): one
 * temperature fitted on held-out speakers rescales the model's outputs so that a top probability
 * of 0.7 is right about 70% of the time, the expected calibration error measures how far that
 * holds, and a threshold on the top probability turns low-confidence answers into "uncertain".
 * Pure arithmetic on probabilities; the model and the clips are the caller's business.
 */
import type { ModelCalibration } from './metadata.ts';

/** The outcome shown instead of a label when the top probability is below the threshold. */
export const UNCERTAIN = 'uncertain';

/** The temperature search range: wide enough for any sensible model, bounded so a separable set cannot run off to 0. */
const LOG_T_RANGE = [Math.log(0.05), Math.log(20)] as const;

/**
 * softmax(log p / T). The model ends in a softmax, so log p equals its logits up to a per-row
 * constant, which softmax ignores: this is softmax(logits / T) exactly. T = 1 returns the input.
 */
export function applyTemperature(probabilities: Float32Array, temperature: number): Float32Array {
  if (temperature === 1) return probabilities;
  const scaled = scaledLogProbabilities(probabilities, 1 / temperature);
  return Float32Array.from(scaled, Math.exp);
}

/** log softmax(β · log p), in float64; zero probabilities stay zero (−Infinity). */
function scaledLogProbabilities(probabilities: ArrayLike<number>, beta: number): Float64Array {
  const z = Float64Array.from(probabilities, (p) => beta * Math.log(p));
  const max = Math.max(...z);
  let sum = 0;
  for (const v of z) sum += Math.exp(v - max);
  const logSum = max + Math.log(sum);
  return z.map((v) => v - logSum);
}

/** Mean negative log-likelihood of the true classes after scaling by temperature. */
export function temperatureNll(probabilities: readonly ArrayLike<number>[], labels: readonly number[], temperature: number): number {
  let total = 0;
  probabilities.forEach((p, i) => (total -= scaledLogProbabilities(p, 1 / temperature)[labels[i]]));
  return total / probabilities.length;
}

/**
 * The temperature minimising the NLL of labels (class indices) on held-out probabilities. The NLL
 * is convex in 1/T (a log-sum-exp of linear functions minus a linear one), so it has one minimum
 * along log T and a golden-section search finds it; a minimum beyond the range returns its end.
 */
export function fitTemperature(probabilities: readonly ArrayLike<number>[], labels: readonly number[]): number {
  if (probabilities.length === 0 || probabilities.length !== labels.length) {
    throw new RangeError(`fitTemperature: ${probabilities.length} predictions for ${labels.length} labels`);
  }
  const nll = (logT: number) => temperatureNll(probabilities, labels, Math.exp(logT));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [a, b] = LOG_T_RANGE;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = nll(c);
  let fd = nll(d);
  while (b - a > 1e-7) {
    if (fc < fd) {
      [b, d, fd] = [d, c, fc];
      c = b - ratio * (b - a);
      fc = nll(c);
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + ratio * (b - a);
      fd = nll(d);
    }
  }
  return Math.exp((a + b) / 2);
}

export interface ConfidenceOutcome {
  /** The top probability. */
  confidence: number;
  correct: boolean;
}

export interface ReliabilityBin {
  /** The bin covers (lower, upper]; the first also takes 0. */
  lower: number;
  upper: number;
  count: number;
  /** Means over the bin's predictions; 0 for an empty bin. */
  confidence: number;
  accuracy: number;
}

export interface CalibrationSummary {
  /** Σ (bin count / N) · |bin accuracy − bin confidence|. */
  ece: number;
  /** Every bin, empty ones included, for a reliability diagram. */
  bins: ReliabilityBin[];
}

export const ECE_BINS = 15;

/** Expected calibration error over equal-width confidence bins, and the bins themselves. */
export function calibrationSummary(outcomes: readonly ConfidenceOutcome[], binCount = ECE_BINS): CalibrationSummary {
  const sums = Array.from({ length: binCount }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (const { confidence, correct } of outcomes) {
    const bin = sums[Math.min(binCount - 1, Math.max(0, Math.ceil(confidence * binCount) - 1))];
    bin.count++;
    bin.confidence += confidence;
    if (correct) bin.correct++;
  }
  const bins = sums.map(({ count, confidence, correct }, i) => ({
    lower: i / binCount,
    upper: (i + 1) / binCount,
    count,
    confidence: count > 0 ? confidence / count : 0,
    accuracy: count > 0 ? correct / count : 0,
  }));
  const n = outcomes.length;
  const ece = n > 0 ? bins.reduce((s, b) => s + (b.count / n) * Math.abs(b.accuracy - b.confidence), 0) : 0;
  return { ece, bins };
}

export interface ConfidenceThreshold {
  /** Keep answers whose top probability is at least this. */
  threshold: number;
  /** The fraction of the kept answers that are right (at least the target). */
  precision: number;
  /** The fraction of answers kept. */
  coverage: number;
}

/**
 * The lowest threshold whose kept answers (top probability ≥ threshold) are right at least
 * targetPrecision of the time: the most coverage for that precision. Precision is not monotone in
 * the threshold, so every cut is checked; null when no cut reaches the target.
 */
export function thresholdForPrecision(outcomes: readonly ConfidenceOutcome[], targetPrecision = 0.8): ConfidenceThreshold | null {
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  let best: ConfidenceThreshold | null = null;
  let correct = 0;
  sorted.forEach((o, i) => {
    if (o.correct) correct++;
    const kept = i + 1;
    // A cut between equal confidences cannot be made by a threshold.
    if (kept < sorted.length && sorted[kept].confidence === o.confidence) return;
    if (correct / kept >= targetPrecision) best = { threshold: o.confidence, precision: correct / kept, coverage: kept / sorted.length };
  });
  return best;
}

/** The label, or UNCERTAIN when a threshold is set and the confidence is below it. */
export function outcomeOf(label: string, confidence: number, minConfidence: number | null): string {
  return minConfidence !== null && confidence < minConfidence ? UNCERTAIN : label;
}

/** Top probability and correctness of each row of probabilities against labels (class indices). */
export function topOutcomes(probabilities: readonly ArrayLike<number>[], labels: readonly number[]): ConfidenceOutcome[] {
  return probabilities.map((p, i) => {
    let top = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[top]) top = k;
    return { confidence: p[top], correct: top === labels[i] };
  });
}

/**
 * The calibration a model's metadata records, from its outputs on validation clips: the temperature,
 * then the threshold on the scaled outputs (scaling can reorder top probabilities across clips, so
 * the threshold is chosen on what inference will compare it with).
 */
export function calibrate(probabilities: readonly Float32Array[], labels: readonly number[], targetPrecision = 0.8): ModelCalibration {
  const temperature = fitTemperature(probabilities, labels);
  const scaled = topOutcomes(
    probabilities.map((p) => applyTemperature(p, temperature)),
    labels,
  );
  const threshold = thresholdForPrecision(scaled, targetPrecision);
  return {
    temperature,
    minConfidence: threshold?.threshold ?? null,
    targetPrecision,
    coverage: threshold?.coverage ?? null,
    precision: threshold?.precision ?? null,
    validationClips: probabilities.length,
    ece: { before: calibrationSummary(topOutcomes(probabilities, labels)).ece, after: calibrationSummary(scaled).ece },
  };
}

/** One line for training notes and model descriptions. */
export function describeCalibration(c: ModelCalibration): string {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const threshold =
    c.minConfidence === null
      ? `no threshold reaches ${pct(c.targetPrecision)} precision, so nothing is marked uncertain`
      : `uncertain below ${pct(c.minConfidence)} top probability (${pct(c.precision ?? 0)} right on the ${pct(c.coverage ?? 0)} of clips kept)`;
  const crossFitted = c.crossFitted
    ? ` (${c.crossFitted.ece.before.toFixed(3)} -> ${c.crossFitted.ece.after.toFixed(3)} with each half of the ${c.crossFitted.speakers} speakers scaled by the other's temperature)`
    : '';
  return `calibrated on ${c.validationClips} validation clips: temperature ${c.temperature.toFixed(2)}, expected calibration error ${c.ece.before.toFixed(3)} -> ${c.ece.after.toFixed(3)}${crossFitted}; ${threshold}`;
}
