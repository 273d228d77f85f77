/** What a window or file without speech is called instead of an emotion (the classifier, the live view, the app). */
export const NO_SPEECH = 'no speech';

/** A window whose speech (audio/vad.ts) is less than this share of it, 0.3 s of a 3 s window, is NO_SPEECH. */
export const MIN_SPEECH_SHARE = 0.1;

/**
 * Whether a window with this share of speech is NO_SPEECH. A share that was never measured (null:
 * windows stored before the detector) counts as speech, as it was classified.
 */
export function lacksSpeech(speech: number | null | undefined): boolean {
  return speech != null && speech < MIN_SPEECH_SHARE;
}

/**
 * The windows a file's mean is taken over: those with speech, or all of them when none has (as
 * the classifier's file result does), so silence and noise say nothing of the speech's emotion.
 */
export function windowsForMean<T>(windows: readonly T[], speechOf: (w: T) => number | null | undefined): { counted: readonly T[]; noSpeech: boolean } {
  const voiced = windows.filter((w) => !lacksSpeech(speechOf(w)));
  return voiced.length > 0 ? { counted: voiced, noSpeech: false } : { counted: windows, noSpeech: windows.length > 0 };
}

/** The mean probabilities of the windows a file's mean is taken over (windowsForMean); empty when there are no windows. */
export function meanOverSpeech(windows: readonly { probabilities: ArrayLike<number>; speech?: number | null }[]): number[] {
  if (windows.length === 0) return [];
  const { counted } = windowsForMean(windows, (w) => w.speech);
  const mean = new Array<number>(counted[0].probabilities.length).fill(0);
  for (const w of counted) for (let k = 0; k < mean.length; k++) mean[k] += w.probabilities[k] / counted.length;
  return mean;
}
