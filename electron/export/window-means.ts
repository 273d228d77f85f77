/**
 * The running mean of one file's windows in one run, as both CSV reports state it: over the
 * windows with speech when there are any, else over all of them and marked "no speech"
 * (shared/outcomes.ts), beside the mean measured share of speech.
 */
import { lacksSpeech } from '../shared/outcomes.ts';

export class WindowMeans {
  private readonly all: number[];
  private readonly voiced: number[];
  /** Every window added. */
  windows = 0;
  private voicedWindows = 0;
  private speechSum = 0;
  private speechMeasured = 0;

  constructor(classes: number) {
    this.all = new Array<number>(classes).fill(0);
    this.voiced = new Array<number>(classes).fill(0);
  }

  /** Adds a window; true when it holds speech (and so counts towards the mean). */
  add(probabilities: readonly number[], speechShare: number | null): boolean {
    probabilities.forEach((v, i) => (this.all[i] += v));
    this.windows++;
    if (speechShare !== null) {
      this.speechSum += speechShare;
      this.speechMeasured++;
    }
    if (lacksSpeech(speechShare)) return false;
    probabilities.forEach((v, i) => (this.voiced[i] += v));
    this.voicedWindows++;
    return true;
  }

  /** The mean probabilities, and whether no window held speech. */
  mean(): { mean: number[]; noSpeech: boolean } {
    if (this.voicedWindows > 0) return { mean: this.voiced.map((s) => s / this.voicedWindows), noSpeech: false };
    return { mean: this.all.map((s) => s / this.windows), noSpeech: true };
  }

  /** The mean share of speech over the windows that measured it; null when none did. */
  speechShare(): number | null {
    return this.speechMeasured > 0 ? this.speechSum / this.speechMeasured : null;
  }
}
