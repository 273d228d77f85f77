/**
 * Which of an evaluation's clips come from what the model was trained on: its corpora, and the
 * speakers of its training and validation sides, as training records them in metadata.json
 * (metrics.dataset and metrics.split). Speakers are compared as corpus:speaker, because two
 * corpora's "01" are two people; clips themselves are not recorded, so a random split (no
 * speakers held out) can only be flagged by corpus.
 */
import { basename } from 'node:path';
import { z } from 'zod';
import type { TrainingOverlap } from '../shared/training-overlap.ts';
import type { DatasetItem } from './datasets/index.ts';
import type { ModelMetadata } from './metadata.ts';

export type { TrainingOverlap } from '../shared/training-overlap.ts';

/** What a model learnt from. */
export interface TrainingSources {
  /** Corpora whose clips trained it (a leave-one-corpus-out model's held-out corpus is not one). */
  corpora: string[];
  /** corpus:speaker of the training and validation sides; null when the split held no speakers out. */
  speakers: { train: string[]; validation: string[] } | null;
}

const RecordedSchema = z.object({
  dataset: z.object({
    root: z.string(),
    convention: z.string(),
    corpora: z.array(z.object({ corpus: z.string() })).optional(),
  }),
  split: z
    .object({
      spec: z.object({ protocol: z.string(), heldOut: z.string().optional() }),
      speakers: z.object({ train: z.array(z.string()), validation: z.array(z.string()) }).optional(),
    })
    .optional(),
});

/** The corpus name an import gives a single source (import.ts): its folder's name for a user's folder or CSV. */
function singleCorpusName(root: string, convention: string): string {
  return convention === 'folders' || convention === 'csv' ? basename(root) : convention;
}

/** A speaker as corpus:speaker; a union of corpora already names them so. */
function speakerKey(corpus: string, speaker: string): string {
  return speaker.startsWith(`${corpus}:`) ? speaker : `${corpus}:${speaker}`;
}

const corpusOfKey = (key: string) => key.slice(0, key.indexOf(':'));

/** Null when the metadata does not record its training data (a model trained elsewhere). */
export function trainingSources(metadata: ModelMetadata): TrainingSources | null {
  const parsed = RecordedSchema.safeParse(metadata.metrics ?? {});
  if (!parsed.success) return null;
  const { dataset, split } = parsed.data;
  const single = dataset.corpora === undefined ? singleCorpusName(dataset.root, dataset.convention) : null;
  const key = (speaker: string) => (single === null ? speaker : speakerKey(single, speaker));
  const all = single === null ? (dataset.corpora ?? []).map((c) => c.corpus) : [single];
  if (split?.speakers) {
    const train = split.speakers.train.map(key);
    const validation = split.speakers.validation.map(key);
    const heard = new Set([...train, ...validation].map(corpusOfKey));
    return { corpora: all.filter((c) => heard.has(c)), speakers: { train, validation } };
  }
  const heldOut = split?.spec.protocol === 'corpus' ? split.spec.heldOut : undefined;
  return { corpora: all.filter((c) => c !== heldOut), speakers: null };
}

/** The overlap of the evaluated clips with the model's training data; null when the model does not record it. */
export function trainingOverlap(metadata: ModelMetadata, items: readonly DatasetItem[]): TrainingOverlap | null {
  const sources = trainingSources(metadata);
  return sources && overlapWith(sources, items);
}

function overlapWith(sources: TrainingSources, items: readonly DatasetItem[]): TrainingOverlap {
  const corpora = new Set(sources.corpora);
  const inCorpus = items.filter((i) => i.corpus !== undefined && corpora.has(i.corpus));
  const keyOf = (i: DatasetItem) => (i.speaker === undefined || i.corpus === undefined ? null : speakerKey(i.corpus, i.speaker));
  const side = (speakers: ReadonlySet<string> | null) => {
    const clips = inCorpus.filter((i) => {
      const key = keyOf(i);
      return key !== null && (speakers === null || speakers.has(key));
    });
    const names = [...new Set(clips.map((i) => keyOf(i) as string))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    return { names, clips: clips.length };
  };
  // With no speakers held out, every speaker of a trained corpus trained the weights.
  const train = side(sources.speakers ? new Set(sources.speakers.train) : null);
  const validation = sources.speakers ? side(new Set(sources.speakers.validation)) : { names: [], clips: 0 };
  return {
    clips: items.length,
    corpora: sources.corpora.filter((c) => inCorpus.some((i) => i.corpus === c)),
    corpusClips: inCorpus.length,
    trainSpeakers: train.names,
    trainSpeakerClips: train.clips,
    validationSpeakers: validation.names,
    validationSpeakerClips: validation.clips,
    speakersHeldOut: sources.speakers !== null,
  };
}
