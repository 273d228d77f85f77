/**
 * Agreement between labelling sessions (one per annotator): each recording that at least two of
 * the sessions hold is put on the frame grid, and its frames go both into that recording's
 * figures and into the figures pooled over the whole session set.
 */
import { listAnnotations, listRecordings, sessionLabelSet, type Recording, type Session, type StoreDb } from '../store/index.ts';
import { AgreementTally, type AgreementFigures } from './agreement.ts';
import { Categories, disagreementSegments, frameCodes, frameCount, frameRatings, type DisagreementSegment, type RaterFrames } from './frame-grid.ts';

export interface RecordingAgreement {
  recordingId: number;
  path: string;
  /** The span compared: the recording's duration, or its last annotation's end where that is later or the duration unknown. */
  extentSec: number;
  figures: AgreementFigures;
  disagreements: DisagreementSegment[];
}

export interface SessionAgreement {
  /** Session names in rater order: the order of every labels list and of the confusion's rows then columns. */
  sessions: string[];
  frameSec: number;
  /** Category names in the order of the confusion matrix's rows and columns. */
  categories: string[];
  /** Recordings at least two of the sessions hold, by path. */
  recordings: RecordingAgreement[];
  pooled: AgreementFigures;
}

/** One annotator's labels: a whole session, or one tier of it (two annotators' tiers in one session, or "emotion" against "arousal"). */
export interface TierRater {
  name: string;
  session: Session;
  tierId: number;
}

const raterOf = (r: Session | TierRater): { name: string; session: Session; tierId?: number } => ('session' in r ? r : { name: r.name, session: r });

/**
 * A recording a session holds (its membership: annotated or worked through and left empty) is
 * rated by that session, or by each of its tiers compared, its gaps as "none"; a recording
 * outside a session is missing for it.
 */
export function sessionAgreement(db: StoreDb, given: readonly (Session | TierRater)[], frameSec: number): SessionAgreement {
  const sessions = given.map(raterOf);
  const byRecording = new Map<number, { recording: Recording; raters: (number | null)[] }>();
  sessions.forEach(({ session }, r) => {
    for (const recording of listRecordings(db, { sessionId: session.id })) {
      const entry = byRecording.get(recording.id) ?? { recording, raters: sessions.map(() => null) };
      entry.raters[r] = session.id;
      byRecording.set(recording.id, entry);
    }
  });
  const categories = new Categories(sessions.flatMap((s) => sessionLabelSet(db, s.session).labels));
  const pooled = new AgreementTally(categories.names.length, sessions.length);
  const recordings: RecordingAgreement[] = [];
  const compared = [...byRecording.values()].filter((e) => e.raters.filter((id) => id !== null).length >= 2);
  compared.sort((a, b) => (a.recording.path < b.recording.path ? -1 : a.recording.path > b.recording.path ? 1 : 0));
  for (const { recording, raters } of compared) {
    const spans = raters.map((sessionId, r) => (sessionId === null ? null : listAnnotations(db, { sessionId, recordingId: recording.id, tierId: sessions[r].tierId })));
    const lastEnd = Math.max(0, ...spans.flatMap((list) => list?.map((a) => a.endSec) ?? []));
    const extentSec = Math.max(recording.durationSec ?? 0, lastEnd);
    const frames = frameCount(extentSec, frameSec);
    const grid: RaterFrames = spans.map((list) => list && frameCodes(list, categories, frames, frameSec));
    const tally = new AgreementTally(categories.names.length, sessions.length);
    for (const ratings of frameRatings(grid, frames)) {
      tally.add(ratings);
      pooled.add(ratings);
    }
    recordings.push({
      recordingId: recording.id,
      path: recording.path,
      extentSec,
      figures: tally.figures(),
      disagreements: disagreementSegments(grid, frames, frameSec, categories),
    });
  }
  return { sessions: sessions.map((s) => s.name), frameSec, categories: categories.names, recordings, pooled: pooled.figures() };
}
