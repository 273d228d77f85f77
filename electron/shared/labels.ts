/** The eight RAVDESS emotions, in the order of the model's output units and of the data set's emotion codes 01..08. */
export const EMOTIONS = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'] as const;

export type Emotion = (typeof EMOTIONS)[number];
