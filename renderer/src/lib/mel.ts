/**
 * The Slaney mel scale (librosa's default, htk=False), which electron/audio/mel.ts uses for the model's
 * features: linear below 1 kHz, logarithmic above. Here it only places the spectrogram's frequency axis.
 */
const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number): number {
  return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
}

/**
 * Where `hz` falls on an image of `nMels` rows (row 0 at the bottom), as a fraction of its height from the bottom.
 * Band i is centred on the (i+1)-th of nMels+2 mel points evenly spaced from fMin to fMax, as librosa builds them.
 */
export function melRowFraction(hz: number, nMels: number, fMin: number, fMax: number): number {
  const lo = hzToMel(fMin);
  const step = (hzToMel(fMax) - lo) / (nMels + 1);
  const band = (hzToMel(hz) - lo) / step - 1;
  return (band + 0.5) / nMels;
}

/**
 * The round frequencies worth labelling on the axis: inside the image and at least `minGap` (a fraction of
 * its height) apart, preferring the high ones, since the mel scale crowds the low ones together.
 */
export function frequencyTicks(nMels: number, fMin: number, fMax: number, minGap: number): { hz: number; fraction: number }[] {
  const candidates = [16000, 8000, 4000, 2000, 1000, 500, 250, 100];
  const ticks: { hz: number; fraction: number }[] = [];
  for (const hz of candidates) {
    const fraction = melRowFraction(hz, nMels, fMin, fMax);
    const clear = ticks.every((t) => t.fraction - fraction >= minGap);
    if (fraction >= minGap / 2 && fraction <= 1 - minGap / 2 && clear) ticks.push({ hz, fraction });
  }
  return ticks;
}

export function formatHz(hz: number): string {
  return hz >= 1000 ? `${hz / 1000}k` : String(hz);
}
