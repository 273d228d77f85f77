import { AudioDecodeError, unreadableError, type AudioErrorReason } from '../audio/errors.ts';
import { findAudio } from '../audio/find-audio.ts';
import { probeAudio } from '../audio/decode.ts';
import { inTransaction, type StoreDb } from './db.ts';
import {
  hashFile,
  matchRecording,
  storeRecording,
  type ProbeAudio,
  type Recording,
  type StoredKind,
} from './recordings.ts';
import { addRecordingToSession } from './sessions.ts';

export type ImportOutcome =
  | { kind: StoredKind; path: string; recording: Recording; movedFrom?: string }
  | { kind: 'unreadable'; path: string; reason: AudioErrorReason; message: string };

export interface ImportOptions {
  probe?: ProbeAudio;
  /** Take the new content of files edited since import (default: report them and leave them). */
  acceptChanges?: boolean;
  /** Add every imported, known or moved recording to this labelling session. */
  sessionId?: number;
  onProgress?: (outcome: ImportOutcome, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ImportReport {
  outcomes: ImportOutcome[];
  /** Inputs that matched no file (missing paths, empty globs, folders without audio). */
  unmatched: string[];
}

function unreadable(path: string, err: unknown): ImportOutcome & { kind: 'unreadable' } {
  const e = err instanceof AudioDecodeError ? err : unreadableError(path, err);
  return { kind: 'unreadable', path, reason: e.reason, message: e.message };
}

/**
 * Imports the audio files under the given files, folders and globs. Each file is hashed as a
 * stream; a file whose content is already known is skipped as a duplicate or followed as a move,
 * an edited file is reported, and an unreadable one is reported with its reason. Each file is
 * committed on its own, so an interrupted import keeps what it finished and can simply be rerun.
 */
export async function importRecordings(db: StoreDb, inputs: readonly string[], options: ImportOptions = {}): Promise<ImportReport> {
  const probe = options.probe ?? probeAudio;
  const { files, unmatched } = await findAudio(inputs);
  const outcomes: ImportOutcome[] = [];
  const report = (outcome: ImportOutcome) => {
    outcomes.push(outcome);
    options.onProgress?.(outcome, outcomes.length, files.length);
  };
  for (const path of files) {
    options.signal?.throwIfAborted();
    const content = await hashFile(path).catch((err: unknown) => unreadable(path, err));
    if ('kind' in content) {
      report(content);
      continue;
    }
    // Only a file whose content the store will take needs its headers read.
    const match = matchRecording(db, { path, ...content }).kind;
    const takesContent = match === 'new' || (match === 'changed' && options.acceptChanges);
    const audio = takesContent ? await probe(path).catch((err: unknown) => unreadable(path, err)) : undefined;
    if (audio && 'kind' in audio) {
      report(audio);
      continue;
    }
    report(
      inTransaction(db, () => {
        const stored = storeRecording(db, { path, ...content, audio }, options);
        if (options.sessionId !== undefined) addRecordingToSession(db, options.sessionId, stored.recording.id);
        return { path, ...stored };
      }),
    );
  }
  return { outcomes, unmatched };
}
