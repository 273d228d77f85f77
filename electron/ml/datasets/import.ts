import { basename, dirname, relative, resolve, sep } from 'node:path';
import { stat } from 'node:fs/promises';
import { AudioDecodeError, probeAudio } from '../../audio/decode.ts';
import { AUDIO_EXTENSIONS, findAudio } from '../../audio/find-audio.ts';
import { readCorpusMetadata } from './corpus-metadata.ts';
import { readLabelCsv } from './csv-labels.ts';
import { DatasetError } from './errors.ts';
import { FILE_NAME_CONVENTIONS, hasShape, nameStem, parseFileName } from './file-name-conventions.ts';
import { normaliseLabel, orderLabels } from './label-order.ts';
import { FOLDER_CONVENTIONS, type Dataset, type DatasetItem, type FolderConvention, type RejectedFile } from './types.ts';

export interface ImportOptions {
  /** The folder of audio files. With csv, its audio files that the CSV does not list are reported as rejected. */
  dir?: string;
  /** A CSV of path,label[,speaker[,gender]]; relative paths are resolved against the CSV's folder. */
  csv?: string;
  /** How labels are read from the folder's files; detected from the files when absent (not with csv). */
  convention?: FolderConvention;
  /** Read each file's headers for its duration, rejecting files whose headers cannot be read (default true). */
  probe?: boolean;
  /**
   * The corpus name every clip carries; default: the convention's name for a public corpus's
   * convention (ravdess, nemo, ...), else the folder's (or the CSV's folder's) name.
   */
  corpus?: string;
}

/** Files whose headers are read at once while probing. */
const PROBE_CONCURRENCY = 8;

/**
 * Reads a labelled data set: its files, each file's label, speaker and gender where the convention
 * says them, and the files left out with the reason. Nothing is guessed: a file that does not fit
 * the convention is rejected, never given a label.
 */
export async function importDataset(options: ImportOptions): Promise<Dataset> {
  const { dir, csv, convention } = options;
  if (!dir && !csv) throw new DatasetError('give a data set folder or a labels CSV');
  if (csv && convention) throw new DatasetError('a labels CSV names each label itself: give the CSV or a convention, not both');
  let dataset: Dataset;
  if (csv) {
    const root = resolve(dir ?? dirname(csv));
    const { items, rejected } = await readLabelCsv(csv);
    if (dir) rejected.push(...unlisted(await audioFiles(root), items, csv));
    dataset = { root, convention: 'csv', labels: [], items, rejected };
  } else {
    const root = resolve(dir as string);
    const files = await audioFiles(root);
    const chosen = convention ?? detectConvention(root, files);
    dataset = { root, convention: chosen, labels: [], ...(await labelFiles(root, files, chosen)) };
  }
  const corpus = options.corpus ?? (dataset.convention === 'folders' || dataset.convention === 'csv' ? basename(dataset.root) : dataset.convention);
  for (const item of dataset.items) item.corpus = corpus;
  if (options.probe ?? true) await probeDurations(dataset);
  dataset.items.sort((a, b) => compare(a.path, b.path));
  dataset.rejected.sort((a, b) => compare(a.path, b.path));
  dataset.labels = orderLabels(dataset.items.map((i) => i.label));
  return dataset;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function audioFiles(root: string): Promise<string[]> {
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new DatasetError(`${root}: not a folder`);
  const { files } = await findAudio([root]);
  if (files.length === 0) throw new DatasetError(`${root}: no audio files (looked for .${AUDIO_EXTENSIONS.join(', .')})`);
  return files;
}

function unlisted(files: string[], items: DatasetItem[], csv: string): RejectedFile[] {
  const listed = new Set(items.map((i) => i.path));
  return files.filter((f) => !listed.has(f)).map((path) => ({ path, reason: `not listed in ${csv}` }));
}

/** The folder below root that holds the file, or undefined for a file directly in root. */
function topFolder(root: string, file: string): string | undefined {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/**
 * The file-name convention most names fit, when at least half fit it; otherwise one folder per
 * label, when files sit in at least two sub-folders; otherwise an error that says what was seen.
 */
function detectConvention(root: string, files: readonly string[]): FolderConvention {
  const fits = FILE_NAME_CONVENTIONS.map((c) => ({ c, n: files.filter((f) => hasShape(c, f)).length }));
  const best = fits.reduce((a, b) => (b.n > a.n ? b : a));
  if (best.n > 0 && best.n * 2 >= files.length) return best.c.name;
  const folders = new Set(files.map((f) => topFolder(root, f)).filter((f) => f !== undefined));
  if (folders.size >= 2) return 'folders';
  const seen = fits.filter((f) => f.n > 0).map((f) => `${f.n} fit ${f.c.name}`);
  throw new DatasetError(
    `${root}: cannot tell how its ${files.length} files are labelled (${[...seen, `${folders.size} sub-folder(s)`].join(', ')}); ` +
      `choose a convention (${FOLDER_CONVENTIONS.join(', ')}) or give a labels CSV`,
  );
}

async function labelFiles(root: string, files: readonly string[], convention: FolderConvention): Promise<Pick<Dataset, 'items' | 'rejected'>> {
  const items: DatasetItem[] = [];
  const rejected: RejectedFile[] = [];
  const byName = FILE_NAME_CONVENTIONS.find((c) => c.name === convention);
  const metadata = byName?.metadataFile ? await readCorpusMetadata(root, byName.metadataFile) : null;
  for (const path of files) {
    const parsed = byName ? parseFileName(byName, path) : labelFolder(root, path);
    if (typeof parsed === 'string') rejected.push({ path, reason: parsed });
    else items.push({ path, ...parsed, ...metadata?.rows.get(nameStem(path)) });
  }
  return { items, rejected };
}

function labelFolder(root: string, path: string): { label: string } | string {
  const folder = topFolder(root, path);
  return folder === undefined ? 'not inside a label folder (one sub-folder per label)' : { label: normaliseLabel(folder) };
}

/** Adds each item's duration from its headers; items whose headers cannot be read move to rejected. */
async function probeDurations(dataset: Dataset): Promise<void> {
  const failed = new Set<DatasetItem>();
  let next = 0;
  const worker = async () => {
    while (next < dataset.items.length) {
      const item = dataset.items[next++];
      try {
        const { durationSec } = await probeAudio(item.path);
        if (durationSec !== undefined) item.durationSec = durationSec;
      } catch (err) {
        if (!(err instanceof AudioDecodeError)) throw err;
        failed.add(item);
        dataset.rejected.push({ path: item.path, reason: err.message.slice(err.file.length + 2) });
      }
    }
  };
  await Promise.all(Array.from({ length: PROBE_CONCURRENCY }, worker));
  if (failed.size > 0) dataset.items = dataset.items.filter((i) => !failed.has(i));
}
