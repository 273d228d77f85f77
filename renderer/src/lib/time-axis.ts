/**
 * Spacing for the waveform's time ruler. wavesurfer's Timeline defaults label every 10 s when zoomed in, which
 * leaves a 3-second clip with a single "0"; this picks round label steps at least MIN_LABEL_PX apart instead.
 */
const LABEL_STEPS_SEC = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
const MIN_LABEL_PX = 64;
/** Minor notches no closer than a label is wide, so they never run through one. */
const MIN_TICK_PX = 40;

export interface RulerSpacing {
  /** Seconds between labelled notches. */
  labelSec: number;
  /** Seconds between notches. */
  tickSec: number;
}

export function rulerSpacing(pxPerSec: number): RulerSpacing {
  const labelSec = LABEL_STEPS_SEC.find((step) => step * pxPerSec >= MIN_LABEL_PX) ?? LABEL_STEPS_SEC[LABEL_STEPS_SEC.length - 1];
  const divisions = [5, 2].find((d) => (labelSec / d) * pxPerSec >= MIN_TICK_PX) ?? 1;
  return { labelSec, tickSec: labelSec / divisions };
}
