/**
 * Annotation files into and out of a workspace database. An import reads and checks every file
 * and every recording it names before the database is touched, then writes everything in one
 * transaction, so a broken file or a label that does not fit leaves nothing half-imported.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeAudio } from '../audio/decode.ts';
import { AUDIO_EXTENSIONS } from '../audio/find-audio.ts';
import { EMOTIONS } from '../shared/labels.ts';
import {
  addAnnotation,
  addPoint,
  createSession,
  createTier,
  getRecordingByPath,
  getSessionByName,
  getTierByName,
  hashFile,
  inTransaction,
  labelSetFor,
  listAnnotations,
  listPoints,
  listRecordings,
  listSessions,
  listTiers,
  storeRecording,
  StoreError,
  type ProbeAudio,
  type Recording,
  type RecordingFacts,
  type Session,
  type StoreDb,
  type TierKind,
} from '../store/index.ts';
import { EXTENSIONS, readAnnotationFile, writeAnnotationFile, type AnnotationFormat } from './index.ts';
import type { AnnotationDocument, Interval, Point, Tier } from './document.ts';

export interface AnnotationImportOptions {
  /** The audio every file describes, instead of the one each names. */
  recording?: string;
  /** Put every tier into this session (as tiers of their own names) instead of a session per tier. */
  session?: string;
  /**
   * Interval labels of the file renamed to the session's before they are stored (the user's answer
   * where the names do not match); a label mapped to null is left out. Point tiers keep their text.
   */
  labelMap?: Readonly<Record<string, string | null>>;
  probe?: ProbeAudio;
}

/** The distinct labels of a file's interval tiers, in order of first use: what an import must fit into a label set. */
export function intervalLabelsOf(file: string, format: AnnotationFormat): string[] {
  const labels = new Set<string>();
  for (const doc of readAnnotationFile(readFileSync(file), file, format)) {
    for (const tier of doc.tiers) if (tier.kind === 'interval') for (const i of tier.intervals) if (i.label !== '') labels.add(i.label);
  }
  return [...labels];
}

export interface ImportedTier {
  session: string;
  tier: string;
  kind: TierKind;
  recording: string;
  added: number;
  /** Identical annotations the tier already held (the file imported before). */
  present: number;
}

/** One tier of one file, bound for a session's tier on a recording. */
interface Planned {
  file: string;
  session: string;
  tier: Tier;
  audio: string;
}

const stem = (path: string) => basename(path, extname(path));

/** Label Studio names uploads "<8 hex digits>-<original name>"; the original name is what the library holds. */
const uploadName = (name: string) => name.replace(/^[0-9a-f]{8}-/, '');

/**
 * The audio a document describes: --recording; else what the file names (ELAN's media URL,
 * Label Studio's task audio), relative to the file, or a recording of that name in the library;
 * else, as Praat and Audacity keep them, the audio file of the same name beside it.
 */
function audioOf(db: StoreDb, doc: AnnotationDocument, file: string, options: AnnotationImportOptions): string {
  const candidates: string[] = [];
  if (options.recording !== undefined) candidates.push(resolve(options.recording));
  else if (doc.media) {
    const path = doc.media.startsWith('file:') ? fileURLToPath(doc.media) : isAbsolute(doc.media) ? doc.media : resolve(dirname(file), doc.media);
    candidates.push(path);
    const names = new Set([basename(path), uploadName(basename(path))]);
    candidates.push(...listRecordings(db).filter((r) => names.has(basename(r.path))).map((r) => r.path));
  } else {
    candidates.push(...AUDIO_EXTENSIONS.map((ext) => join(dirname(file), `${stem(file)}.${ext}`)));
  }
  const found = candidates.find((path) => getRecordingByPath(db, path) || existsSync(path));
  if (!found) {
    if (options.recording !== undefined) throw new StoreError(`--recording ${options.recording}: no such file, nor a recording of that path in the library`);
    const named = doc.media ? `the audio it names (${doc.media})` : `an audio file named ${stem(file)} beside it`;
    throw new StoreError(`${file}: found neither ${named} on disk nor in the library; name the audio with --recording`);
  }
  return found;
}

/**
 * A new session's classes: the RAVDESS emotions where its labels are among them, else its own
 * labels. Its default tier is the tier of its name when the file has one, of that tier's kind.
 */
function sessionFor(db: StoreDb, name: string, labels: ReadonlySet<string>, tierKind: TierKind): Session {
  const existing = getSessionByName(db, name);
  if (existing) return existing;
  const ravdess = [...labels].every((l) => (EMOTIONS as readonly string[]).includes(l));
  const labelSet = ravdess ? undefined : labelSetFor(db, [...labels].sort(), name).name;
  return createSession(db, { name, labelSet, tierKind });
}

const items = (tier: Tier): (Interval | Point)[] => (tier.kind === 'interval' ? tier.intervals : tier.points);

export async function importAnnotationFiles(
  db: StoreDb,
  files: readonly { file: string; format: AnnotationFormat }[],
  options: AnnotationImportOptions = {},
): Promise<ImportedTier[]> {
  const planned: Planned[] = [];
  for (const { file, format } of files) {
    for (const doc of readAnnotationFile(readFileSync(file), file, format)) {
      if (doc.tiers.length === 0) continue;
      const audio = audioOf(db, doc, file, options);
      for (const tier of doc.tiers) planned.push({ file, session: options.session ?? tier.name, tier, audio });
    }
  }
  // Recordings new to the library are read now: hashing and probing are asynchronous, the transaction is not.
  const newAudio = new Map<string, RecordingFacts>();
  for (const audio of new Set(planned.map((p) => p.audio))) {
    if (getRecordingByPath(db, audio)) continue;
    newAudio.set(audio, { path: audio, ...(await hashFile(audio)), audio: await (options.probe ?? probeAudio)(audio) });
  }
  // Empty labels are Praat's unlabelled stretches between intervals, not annotations.
  const renamed = (label: string, tier: Tier) => (tier.kind === 'interval' && options.labelMap && Object.hasOwn(options.labelMap, label) ? options.labelMap[label] : label);
  const labelled = (tier: Tier) =>
    items(tier)
      .map((i) => ({ ...i, label: renamed(i.label, tier) }))
      .filter((i): i is (Interval | Point) & { label: string } => i.label !== null && i.label !== '');
  const labels = new Map<string, Set<string>>();
  for (const p of planned) {
    const set = labels.get(p.session) ?? new Set();
    for (const item of labelled(p.tier)) set.add(item.label);
    labels.set(p.session, set);
  }

  return inTransaction(db, () => {
    const recordings = new Map<string, Recording>();
    for (const facts of newAudio.values()) recordings.set(facts.path, storeRecording(db, facts).recording);
    const recordingAt = (path: string) => recordings.get(path) ?? getRecordingByPath(db, path)!;
    return planned.map(({ file, session: sessionName, tier, audio }) => {
      try {
        const session = sessionFor(db, sessionName, labels.get(sessionName)!, sessionName === tier.name ? tier.kind : 'interval');
        const target = getTierByName(db, session.id, tier.name) ?? createTier(db, session.id, tier.name, tier.kind);
        if (target.kind !== tier.kind) throw new StoreError(`session "${session.name}" has tier "${tier.name}" of ${target.kind}s, the file one of ${tier.kind}s`);
        const recording = recordingAt(audio);
        const result: ImportedTier = { session: session.name, tier: target.name, kind: target.kind, recording: recording.path, added: 0, present: 0 };
        if (tier.kind === 'interval') {
          const held = new Set(listAnnotations(db, { tierId: target.id, recordingId: recording.id }).map((a) => `${a.startSec} ${a.endSec} ${a.label}`));
          for (const i of labelled(tier) as Interval[]) {
            if (held.has(`${i.start} ${i.end} ${i.label}`)) result.present++;
            else {
              addAnnotation(db, { recordingId: recording.id, sessionId: session.id, tierId: target.id, startSec: i.start, endSec: i.end, label: i.label });
              result.added++;
            }
          }
        } else {
          const held = new Set(listPoints(db, { tierId: target.id, recordingId: recording.id }).map((p) => `${p.timeSec} ${p.label}`));
          for (const p of labelled(tier) as Point[]) {
            if (held.has(`${p.time} ${p.label}`)) result.present++;
            else {
              addPoint(db, { tierId: target.id, recordingId: recording.id, timeSec: p.time, label: p.label });
              result.added++;
            }
          }
        }
        return result;
      } catch (err) {
        if (err instanceof StoreError) throw new StoreError(`${file}: tier "${tier.name}": ${err.message}`, { cause: err });
        throw err;
      }
    });
  });
}

export interface ExportedFile {
  path: string;
  recording: string;
  tiers: number;
}

/** File names keep letters, digits and a few marks every file system takes. */
const safe = (name: string) => name.replace(/[^\p{L}\p{N} ._()-]/gu, '_');

export interface AnnotationExportOptions {
  format: AnnotationFormat;
  outDir: string;
  sessionId?: number;
  /** Only this recording's file. */
  recordingId?: number;
  /** The path to write each file to, or a throw refusing it (the API's path policy); default: the path as it is. */
  target?: (path: string) => string;
}

/**
 * Writes one file per recording (Audacity, whose files hold one track: one per recording and tier)
 * holding the tiers of the session, or of every session, that mark it. A tier name two sessions
 * share is written as "session/tier" so the file's tiers stay apart. Every file is built, and its
 * target checked, before any is written, so a document the format cannot hold writes nothing.
 */
export function exportAnnotationFiles(db: StoreDb, options: AnnotationExportOptions): ExportedFile[] {
  const sessions = listSessions(db).filter((s) => options.sessionId === undefined || s.id === options.sessionId);
  const tiers = sessions.flatMap((session) => listTiers(db, session.id).map((tier) => ({ session, tier })));
  const shared = new Set(tiers.map((t) => t.tier.name).filter((name, i, all) => all.indexOf(name) !== i));
  const docs = new Map<number, { recording: Recording; doc: AnnotationDocument }>();
  const recordings = new Map(listRecordings(db).map((r) => [r.id, r]));
  const docFor = (recordingId: number) => {
    const recording = recordings.get(recordingId)!;
    const entry = docs.get(recordingId) ?? { recording, doc: { media: recording.path, start: 0, end: recording.durationSec ?? undefined, tiers: [] } };
    docs.set(recordingId, entry);
    return entry.doc;
  };
  for (const { session, tier } of tiers) {
    const name = shared.has(tier.name) ? `${session.name}/${tier.name}` : tier.name;
    const byRecording = new Map<number, Tier>();
    const tierOf = (recordingId: number): Tier => {
      let t = byRecording.get(recordingId);
      if (!t) {
        t = tier.kind === 'interval' ? { kind: 'interval', name, intervals: [] } : { kind: 'point', name, points: [] };
        byRecording.set(recordingId, t);
        docFor(recordingId).tiers.push(t);
      }
      return t;
    };
    if (tier.kind === 'interval') {
      for (const a of listAnnotations(db, { tierId: tier.id })) {
        (tierOf(a.recordingId) as Tier & { kind: 'interval' }).intervals.push({ start: a.startSec, end: a.endSec, label: a.label });
      }
    } else {
      for (const p of listPoints(db, { tierId: tier.id })) (tierOf(p.recordingId) as Tier & { kind: 'point' }).points.push({ time: p.timeSec, label: p.label });
    }
  }

  const used = new Set<string>();
  const fileName = (recording: Recording, suffix: string) => {
    let name = `${safe(stem(recording.path))}${suffix}${EXTENSIONS[options.format]}`;
    if (used.has(name)) name = `${safe(stem(recording.path))}-${recording.id}${suffix}${EXTENSIONS[options.format]}`;
    used.add(name);
    return name;
  };
  const files: { name: string; text: string; recording: string; tiers: number }[] = [];
  const wanted = [...docs.values()].filter((d) => options.recordingId === undefined || d.recording.id === options.recordingId);
  for (const { recording, doc } of wanted.sort((a, b) => a.recording.path.localeCompare(b.recording.path))) {
    const parts = options.format === 'audacity' && doc.tiers.length > 1 ? doc.tiers.map((t) => ({ ...doc, tiers: [t] })) : [doc];
    for (const part of parts) {
      const suffix = parts.length > 1 ? `.${safe(part.tiers[0].name)}` : '';
      files.push({ name: fileName(recording, suffix), text: writeAnnotationFile(part, options.format), recording: recording.path, tiers: part.tiers.length });
    }
  }
  mkdirSync(options.outDir, { recursive: true });
  const checked = files.map((file) => ({ ...file, path: options.target ? options.target(join(options.outDir, file.name)) : join(options.outDir, file.name) }));
  return checked.map(({ path, text, recording, tiers: count }) => {
    writeFileSync(path, text);
    return { path, recording, tiers: count };
  });
}
