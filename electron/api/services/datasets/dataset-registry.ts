/**
 * Data sets the user has inspected, kept by id while the app runs so training and evaluation use
 * exactly what the report showed. A folder (optionally labelled by a CSV) is read in place, inside
 * the library's folders only; a labelling session becomes a folder of clips cut from its
 * annotated regions, so the same training engine reads both.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isHeldOut } from '../../../annotation/held-out.ts';
import { decodeFile } from '../../../audio/decode.ts';
import { encodePcm16Wav } from '../../../audio/pcm16-wav.ts';
import { DEFAULT_FEATURES } from '../../../audio/settings.ts';
import { DatasetError, importDataset, summariseDataset, type Dataset, type ImportOptions, type RejectedFile } from '../../../ml/datasets/index.ts';
import { getRecording, getSession, listAnnotations, type Annotation, type Recording, type StoreDb } from '../../../store/index.ts';
import type { DatasetReport } from '../../transport/contract.ts';
import { ApiError } from '../../transport/errors.ts';
import type { LibraryPaths } from '../library/paths.ts';

export interface RegisteredDataset {
  /** What the training engine reads. */
  data: ImportOptions;
  minClipsPerLabel: number;
  report: DatasetReport;
}

/**
 * Who speaks is not recorded in a session, so each recording stands in for one speaker: a
 * speaker-independent split then keeps all regions of a recording on one side, and the report
 * names them "recording N" so no one mistakes them for people.
 */
export const SESSION_CONVENTION = 'session annotations: each annotated region is a clip; each recording counts as one speaker (who speaks is not recorded)';

const csvCell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export class DatasetRegistry {
  private readonly sets = new Map<string, RegisteredDataset>();
  private readonly clipsRoot: string;

  constructor(
    private readonly db: StoreDb,
    private readonly paths: LibraryPaths,
    dataDir: string,
  ) {
    this.clipsRoot = join(dataDir, 'session-clips');
  }

  /** Clips cut for an earlier run of the app belong to data set ids that no longer exist. */
  async open(): Promise<void> {
    await rm(this.clipsRoot, { recursive: true, force: true });
  }

  get(datasetId: string): RegisteredDataset {
    const found = this.sets.get(datasetId);
    if (!found) throw new ApiError('not_found', `no data set ${datasetId}: inspect it again (data sets are kept while the app runs)`);
    return found;
  }

  async inspectFolder(path: string, labelsCsv: string | undefined, minClipsPerLabel: number): Promise<DatasetReport> {
    const dir = this.paths.readablePath(path);
    const csv = labelsCsv === undefined ? undefined : this.paths.readablePath(labelsCsv);
    const dataset = await readDataset({ dir, csv });
    // A CSV may name files anywhere, and a folder may hold links: every clip must lie in the library as the files the user added do.
    const outside = dataset.items.filter((item) => {
      try {
        this.paths.readablePath(item.path);
        return false;
      } catch {
        return true;
      }
    });
    if (outside.length > 0) {
      throw new ApiError('forbidden_path', `${outside.length} clip${outside.length === 1 ? '' : 's'} of the data set lie outside the library's folders (e.g. ${outside[0].path}); add their folder first`);
    }
    return this.register(dir, { dir, csv }, dataset, [], minClipsPerLabel);
  }

  /** With leaveOutHeldOut, the user's held-out labels (annotation/held-out.ts) stay out, to measure the model trained on the rest. */
  async inspectSession(sessionId: number, minClipsPerLabel: number, leaveOutHeldOut = false): Promise<DatasetReport> {
    const session = getSession(this.db, sessionId);
    if (!session) throw new ApiError('not_found', `no session with id ${sessionId}`);
    const annotations = listAnnotations(this.db, { sessionId }).filter((a) => !(leaveOutHeldOut && isHeldOut(a.id)));
    if (annotations.length === 0) throw new ApiError('invalid_input', `session "${session.name}" has no annotations to train on${leaveOutHeldOut ? ' besides its held-out ones' : ''}`);
    const folder = join(this.clipsRoot, `session-${sessionId}-${randomUUID().slice(0, 8)}`);
    await mkdir(join(folder, 'clips'), { recursive: true });
    const rows = ['path,label,speaker,gender'];
    const rejected: RejectedFile[] = [];
    const byRecording = new Map<number, Annotation[]>();
    for (const a of annotations) {
      const regions = byRecording.get(a.recordingId);
      if (regions) regions.push(a);
      else byRecording.set(a.recordingId, [a]);
    }
    const speakers = new Set<string>();
    for (const [recordingId, regions] of byRecording) {
      const recording = getRecording(this.db, recordingId);
      if (!recording) continue;
      const written = await this.cutRegions(recording, regions, folder, rejected);
      if (written.length === 0) continue;
      // The recording stands in for its speaker, named as the user knows it: by its file (with its id when two share a name).
      const fileName = basename(recording.path);
      const speaker = speakers.has(fileName) ? `${fileName} (#${recordingId})` : fileName;
      speakers.add(speaker);
      for (const { file, label } of written) rows.push([file, label, speaker, ''].map(csvCell).join(','));
    }
    const csv = join(folder, 'labels.csv');
    await writeFile(csv, `${rows.join('\n')}\n`);
    const dataset = await readDataset({ csv });
    const name = `labelling session “${session.name}”${leaveOutHeldOut ? ' without its held-out labels' : ''}`;
    return this.register(name, { csv }, { ...dataset, convention: 'csv' }, rejected, minClipsPerLabel, SESSION_CONVENTION);
  }

  /** Writes each region of one recording as a WAV clip at the recording's own rate; what cannot be cut is rejected with the reason. */
  private async cutRegions(recording: Recording, regions: Annotation[], folder: string, rejected: RejectedFile[]): Promise<{ file: string; label: string }[]> {
    let decoded;
    try {
      const path = this.paths.readablePath(recording.path);
      decoded = await decodeFile(path, { targetRate: recording.sampleRate ?? DEFAULT_FEATURES.sampleRate });
    } catch (err) {
      for (const region of regions) rejected.push({ path: recording.path, reason: `annotation ${region.id} (${region.label}): ${(err as Error).message}` });
      return [];
    }
    const { samples, sampleRate } = decoded;
    const out: { file: string; label: string }[] = [];
    for (const region of regions) {
      const first = Math.floor(region.startSec * sampleRate);
      const last = Math.min(samples.length, Math.ceil(region.endSec * sampleRate));
      if (last <= first) {
        rejected.push({ path: recording.path, reason: `annotation ${region.id} (${region.label}): ${region.startSec}..${region.endSec} s lies outside the recording` });
        continue;
      }
      const file = join('clips', `annotation-${region.id}.wav`);
      await writeFile(join(folder, file), encodePcm16Wav(samples.subarray(first, last), sampleRate));
      out.push({ file, label: region.label });
    }
    return out;
  }

  private register(source: string, data: ImportOptions, dataset: Dataset, rejected: RejectedFile[], minClipsPerLabel: number, convention: string = dataset.convention): DatasetReport {
    const summary = summariseDataset(dataset, { minClipsPerLabel });
    const datasetId = randomUUID();
    const { durations } = summary;
    const report: DatasetReport = {
      datasetId,
      source,
      convention,
      clips: summary.clips,
      minClipsPerLabel,
      labels: summary.labels.map(({ label, clips, tooFew }) => ({ label, clips, tooFew })),
      speakers: summary.speakers,
      genders: summary.genders,
      durations: durations && { totalSec: durations.totalSec, minSec: durations.minSec, meanSec: durations.meanSec, maxSec: durations.maxSec },
      rejected: [...rejected, ...dataset.rejected],
    };
    this.sets.set(datasetId, { data, minClipsPerLabel, report });
    return report;
  }
}

async function readDataset(options: ImportOptions): Promise<Dataset> {
  try {
    return await importDataset(options);
  } catch (err) {
    if (err instanceof DatasetError) throw new ApiError('invalid_input', err.message);
    throw err;
  }
}
