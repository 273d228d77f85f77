/**
 * The file-name conventions of public emotional speech data sets. Each maps its emotion codes to
 * the app's labels where one exists; emotions the app does not have (EmoDB's boredom) stay labels
 * of their own.
 */
import { basename, extname } from 'node:path';
import type { Emotion } from '../../shared/labels.ts';
import type { FileNameConventionName, Gender } from './types.ts';

export interface ParsedName {
  label: string;
  speaker: string;
  gender?: Gender;
}

export interface FileNameConvention {
  name: FileNameConventionName;
  /** A file name (without extension) has the convention's shape; used to detect the convention. */
  shape: RegExp;
  /** What the shape describes, for the reason a name does not fit. */
  describe: string;
  /** Reads a name that has the shape; a string is the reason its fields are not valid. */
  read(fields: string[]): ParsedName | string;
  /**
   * A table the corpus ships beside its files (in the data set folder or the one above it), whose
   * speaker and gender take precedence over the name's; see corpus-metadata.ts.
   */
  metadataFile?: string;
}

const codeList = (codes: Record<string, unknown>) => Object.keys(codes).sort().join(', ');

const RAVDESS_EMOTIONS: Readonly<Record<string, Emotion>> = {
  '01': 'neutral',
  '02': 'calm',
  '03': 'happy',
  '04': 'sad',
  '05': 'angry',
  '06': 'fearful',
  '07': 'disgust',
  '08': 'surprised',
};

/** RAVDESS fields other than emotion and actor, with their valid codes. */
const RAVDESS_FIELDS: readonly [string, readonly string[]][] = [
  ['modality', ['01', '02', '03']],
  ['vocal channel', ['01', '02']],
  ['emotion', Object.keys(RAVDESS_EMOTIONS)],
  ['intensity', ['01', '02']],
  ['statement', ['01', '02']],
  ['repetition', ['01', '02']],
];

const ravdess: FileNameConvention = {
  name: 'ravdess',
  shape: /^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)$/,
  describe: 'RAVDESS names are modality-channel-emotion-intensity-statement-repetition-actor, e.g. 03-01-05-02-01-01-12',
  read(fields) {
    for (const [i, [field, valid]] of RAVDESS_FIELDS.entries()) {
      if (!valid.includes(fields[i])) return `RAVDESS ${field} code ${fields[i]} is not one of ${valid.join(', ')}`;
    }
    const actor = Number(fields[6]);
    if (actor < 1 || actor > 24) return `RAVDESS actor ${fields[6]} is not 01 to 24`;
    return { label: RAVDESS_EMOTIONS[fields[2]], speaker: fields[6], gender: actor % 2 === 1 ? 'male' : 'female' };
  },
};

const CREMA_D_EMOTIONS: Readonly<Record<string, Emotion>> = {
  ANG: 'angry',
  DIS: 'disgust',
  FEA: 'fearful',
  HAP: 'happy',
  NEU: 'neutral',
  SAD: 'sad',
};
const CREMA_D_LEVELS = ['LO', 'MD', 'HI', 'XX'];

/** Speaker genders are in CREMA-D's demographics table, not its names, so they stay unknown here. */
const cremaD: FileNameConvention = {
  name: 'crema-d',
  shape: /^(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})$/,
  describe: 'CREMA-D names are speaker_sentence_emotion_level, e.g. 1001_DFA_ANG_XX',
  read([speaker, , emotion, level]) {
    const label = CREMA_D_EMOTIONS[emotion];
    if (!label) return `CREMA-D emotion ${emotion} is not one of ${codeList(CREMA_D_EMOTIONS)}`;
    if (!CREMA_D_LEVELS.includes(level)) return `CREMA-D level ${level} is not one of ${CREMA_D_LEVELS.join(', ')}`;
    return { label, speaker };
  },
};

const TESS_EMOTIONS: Readonly<Record<string, Emotion>> = {
  angry: 'angry',
  disgust: 'disgust',
  fear: 'fearful',
  happy: 'happy',
  neutral: 'neutral',
  ps: 'surprised', // "pleasant surprise"
  sad: 'sad',
};

/** TESS's two speakers, the older (OAF) and younger (YAF) actress. */
const tess: FileNameConvention = {
  name: 'tess',
  shape: /^(OAF|YAF)_([A-Za-z]+)_([A-Za-z]+)$/,
  describe: 'TESS names are speaker_word_emotion, e.g. OAF_back_angry',
  read([speaker, , emotion]) {
    const label = TESS_EMOTIONS[emotion.toLowerCase()];
    if (!label) return `TESS emotion ${emotion} is not one of ${codeList(TESS_EMOTIONS)}`;
    return { label, speaker, gender: 'female' };
  },
};

const EMODB_EMOTIONS: Readonly<Record<string, string>> = {
  W: 'angry', // Wut
  L: 'boredom', // Langeweile: not one of the app's emotions, kept as its own class
  E: 'disgust', // Ekel
  A: 'fearful', // Angst
  F: 'happy', // Freude
  T: 'sad', // Trauer
  N: 'neutral',
};

/** EmoDB's ten speakers and their genders, as its documentation lists them. */
const EMODB_SPEAKERS: Readonly<Record<string, Gender>> = {
  '03': 'male',
  '08': 'female',
  '09': 'female',
  '10': 'male',
  '11': 'male',
  '12': 'male',
  '13': 'female',
  '14': 'female',
  '15': 'male',
  '16': 'female',
};

const emodb: FileNameConvention = {
  name: 'emodb',
  shape: /^(\d\d)([ab]\d\d)([A-Z])([a-z])$/,
  describe: 'EmoDB names are speaker, text, emotion letter and version, e.g. 03a01Fa',
  read([speaker, , emotion]) {
    const gender = EMODB_SPEAKERS[speaker];
    if (!gender) return `EmoDB speaker ${speaker} is not one of ${codeList(EMODB_SPEAKERS)}`;
    const label = EMODB_EMOTIONS[emotion];
    if (!label) return `EmoDB emotion letter ${emotion} is not one of ${codeList(EMODB_EMOTIONS)}`;
    return { label, speaker, gender };
  },
};

export const NEMO_EMOTIONS: Readonly<Record<string, Emotion>> = {
  anger: 'angry',
  fear: 'fearful',
  happiness: 'happy',
  neutral: 'neutral',
  sadness: 'sad',
  surprised: 'surprised',
};

/** nEMO's nine actors as its README lists them, for the genders of files read without data.tsv. */
const NEMO_SPEAKERS: Readonly<Record<string, Gender>> = {
  EB0: 'female',
  IC0: 'female',
  KD0: 'female',
  KS0: 'male',
  MK0: 'female',
  MP0: 'male',
  SM0: 'male',
  TP0: 'male',
  WR0: 'male',
};

/** nEMO (Polish): samples/{speaker}_{emotion}_{sentence}, with speaker, gender and age in data.tsv. */
const nemo: FileNameConvention = {
  name: 'nemo',
  shape: /^([A-Z]{2}\d)_([a-z]+)_(\d+)$/,
  describe: 'nEMO names are speaker_emotion_sentence, e.g. KS0_anger_12',
  read([speaker, emotion]) {
    const label = NEMO_EMOTIONS[emotion];
    if (!label) return `nEMO emotion ${emotion} is not one of ${codeList(NEMO_EMOTIONS)}`;
    const gender = NEMO_SPEAKERS[speaker];
    return { label, speaker, ...(gender ? { gender } : {}) };
  },
  metadataFile: 'data.tsv',
};

export const FILE_NAME_CONVENTIONS: readonly FileNameConvention[] = [ravdess, cremaD, tess, emodb, nemo];

/** A file's name without folder and extension, which conventions (and corpus metadata tables) name it by. */
export const nameStem = (path: string) => basename(path, extname(path));

/** The file's name (without folder and extension) has the convention's shape, valid fields or not. */
export function hasShape(convention: FileNameConvention, path: string): boolean {
  return convention.shape.test(nameStem(path));
}

/** Reads a file's label and speaker from its name; a string is the reason it does not fit. */
export function parseFileName(convention: FileNameConvention, path: string): ParsedName | string {
  const match = convention.shape.exec(nameStem(path));
  if (!match) return `name does not fit: ${convention.describe}`;
  return convention.read(match.slice(1));
}
