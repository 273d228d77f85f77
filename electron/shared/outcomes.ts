/** What a window or file without speech is called instead of an emotion (the classifier, the live view, the app). */
export const NO_SPEECH = 'no speech';

/** A window whose speech (audio/vad.ts) is less than this share of it, 0.3 s of a 3 s window, is NO_SPEECH. */
export const MIN_SPEECH_SHARE = 0.1;
