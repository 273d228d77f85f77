/**
 * A toy labelled data set for training tests: clearly separable classes of synthetic clips (tones
 * in distinct bands, white noise), written as WAV files with a labels CSV naming speakers and
 * genders, plus feature settings small enough to train a CNN in seconds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureSettings } from '../../electron/audio/settings.ts';
import { createRandom, type Random } from '../../electron/shared/random.ts';
import { encodeWav } from './wav-writer.ts';

export const TOY_RATE = 8000;

/** 32 mels x 32 frames (0.5 s at hop 128): a 32x32 input, 30x fewer pixels than the real model's. */
export const TOY_FEATURES: FeatureSettings = {
  sampleRate: TOY_RATE,
  nFft: 256,
  hop: 128,
  nMels: 32,
  fMin: 0,
  fMax: TOY_RATE / 2,
  topDb: 80,
  windowSeconds: 0.5,
  normalisation: 'per-clip-standardise',
};

export type ToyClass = 'low' | 'high' | 'noise';

/** One second of the class: a tone with a random frequency in its band plus faint noise, or white noise. */
export function toyClip(kind: ToyClass, random: Random, seconds = 1): Float32Array {
  const out = new Float32Array(Math.round(seconds * TOY_RATE));
  const freq = kind === 'low' ? random.uniform(250, 450) : random.uniform(1800, 2600);
  const amp = random.uniform(0.2, 0.6);
  for (let i = 0; i < out.length; i++) {
    const noise = 0.02 * random.normal();
    out[i] = kind === 'noise' ? 0.3 * random.normal() : amp * Math.sin((2 * Math.PI * freq * i) / TOY_RATE) + noise;
  }
  return out;
}

export interface ToyDataset {
  dir: string;
  csv: string;
  files: { path: string; label: ToyClass; speaker: string }[];
}

/**
 * clipsPerClass clips of each class (1 s unless told) spread over `speakers` speakers (odd male, even female),
 * under dir/clips, listed in dir/labels.csv.
 */
export function writeToyDataset(
  dir: string,
  options: { classes: readonly ToyClass[]; clipsPerClass: number; speakers?: number; seed?: number; seconds?: number },
): ToyDataset {
  const random = createRandom(options.seed ?? 1);
  const speakers = options.speakers ?? 4;
  mkdirSync(join(dir, 'clips'), { recursive: true });
  const files: ToyDataset['files'] = [];
  const rows = ['path,label,speaker,gender'];
  for (const label of options.classes) {
    for (let n = 0; n < options.clipsPerClass; n++) {
      const speaker = String((n % speakers) + 1);
      const path = join(dir, 'clips', `${label}-${n}.wav`);
      writeFileSync(path, encodeWav({ sampleRate: TOY_RATE, format: 'pcm16', channels: [toyClip(label, random, options.seconds)] }));
      files.push({ path, label, speaker });
      rows.push(`clips/${label}-${n}.wav,${label},${speaker},${Number(speaker) % 2 === 1 ? 'male' : 'female'}`);
    }
  }
  const csv = join(dir, 'labels.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  return { dir, csv, files };
}
