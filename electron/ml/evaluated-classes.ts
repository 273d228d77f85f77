/**
 * The classes an evaluation scores each clip over: those its corpus has. A model trained on
 * RAVDESS's eight emotions, evaluated on nEMO (no calm, no disgust), would otherwise be marked
 * wrong for every clip it calls calm, a choice the corpus's speakers were never given; training
 * scores a held-out corpus the same way (corpus-classes.ts, restrictTo).
 */
import { classesPresent } from './corpus-classes.ts';
import type { DatasetItem } from './datasets/index.ts';

export interface ClassRestriction {
  /** The model's labels any evaluated corpus has, in the model's order: the evaluation's labels. */
  labels: string[];
  /** Per corpus name, one flag per model label: the classes its clips can be. */
  allowed: ReadonlyMap<string, readonly boolean[]>;
  /** The corpora that lack some of the model's labels, with those labels. */
  excluded: { corpus: string; labels: string[] }[];
}

/**
 * Per corpus (item.corpus), the model's labels that its clips (all of the data set's, not only
 * those evaluated, so a split's test side is scored over its corpus's classes) have; null when
 * every corpus has every label, as nothing is then restricted.
 */
export function corpusRestriction(items: readonly DatasetItem[], modelLabels: readonly string[]): ClassRestriction | null {
  const { names: corpora, present } = classesPresent(items, modelLabels);
  const allowed = new Map(corpora.map((corpus, k) => [corpus, present[k]]));
  const excluded = corpora.flatMap((corpus) => {
    const lacks = modelLabels.filter((_, c) => !allowed.get(corpus)?.[c]);
    return lacks.length > 0 ? [{ corpus, labels: lacks }] : [];
  });
  if (excluded.length === 0) return null;
  return { labels: modelLabels.filter((_, c) => corpora.some((corpus) => allowed.get(corpus)?.[c])), allowed, excluded };
}

/** What the restriction leaves out, for the user: one line per corpus. */
export function describeRestriction(restriction: ClassRestriction): string[] {
  return restriction.excluded.map(
    ({ corpus, labels }) => `note: corpus "${corpus || 'unnamed'}" has no clips of ${labels.join(', ')}: its clips are scored over its own classes (--all-classes scores every class)`,
  );
}

/** The items' indices corpus by corpus, with the classes each corpus's clips can be; without a restriction, all of them unrestricted. */
export function corpusGroups(items: readonly DatasetItem[], restriction: ClassRestriction | null): { indices: number[]; allowed?: readonly boolean[] }[] {
  if (!restriction) return [{ indices: items.map((_, i) => i) }];
  return [...restriction.allowed]
    .map(([corpus, allowed]) => ({ indices: items.flatMap((item, i) => ((item.corpus ?? '') === corpus ? [i] : [])), allowed }))
    .filter((group) => group.indices.length > 0);
}
