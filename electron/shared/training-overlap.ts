/**
 * How much of an evaluation's data the model learnt from, and the sentence that says so. Plain data
 * and text, dependency-free, so the CLI, the API and the renderer word it the same way.
 */

export interface TrainingOverlap {
  /** Clips evaluated. */
  clips: number;
  /** Corpora of the evaluated clips that the model was trained on, and their evaluated clips. */
  corpora: string[];
  corpusClips: number;
  /** Evaluated speakers (corpus:speaker) whose clips trained the weights, in natural order, and their evaluated clips. */
  trainSpeakers: string[];
  trainSpeakerClips: number;
  /** Evaluated speakers that chose the model's epoch and calibration (not its weights), and their clips. */
  validationSpeakers: string[];
  validationSpeakerClips: number;
  /**
   * False when the model's split held no speakers out (a random split): every speaker of a trained
   * corpus was heard, and the evaluated clips may be its very training clips.
   */
  speakersHeldOut: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One sentence for people; null when the model learnt nothing from these clips' corpora. */
export function describeTrainingOverlap(o: TrainingOverlap): string | null {
  if (o.corpora.length === 0) return null;
  const corpora = o.corpora.join(', ');
  if (!o.speakersHeldOut) {
    return `The model was trained on ${corpora} with no speakers held out: it heard the speakers of ${o.corpusClips} of these ${o.clips} clips, which may be its own training clips, so the figures are not on unseen speakers.`;
  }
  const heard = [
    o.trainSpeakers.length > 0 ? `trained on ${plural(o.trainSpeakers.length, 'speaker')} of these clips (${o.trainSpeakerClips} of ${o.clips} clips)` : null,
    o.validationSpeakers.length > 0 ? `chose its epoch by ${plural(o.validationSpeakers.length, 'speaker')} of them (${plural(o.validationSpeakerClips, 'clip')})` : null,
  ].filter((part): part is string => part !== null);
  if (heard.length === 0) {
    return `The model was trained on ${corpora}, but on none of the speakers evaluated here: these are unseen speakers of a corpus it knows (${o.corpusClips} of ${o.clips} clips).`;
  }
  return `The model ${heard.join(' and ')}, from ${corpora}: the figures are not on unseen speakers, and are inflated.`;
}

/** Whether the figures include clips of speakers the model heard (or may be its training clips). */
export function overlapsTraining(o: TrainingOverlap): boolean {
  return o.corpora.length > 0 && (!o.speakersHeldOut || o.trainSpeakerClips + o.validationSpeakerClips > 0);
}
