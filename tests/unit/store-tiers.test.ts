import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import { addAnnotation, createSession, deleteAnnotation, listAnnotations, restoreAnnotation, storeRecording, updateAnnotation } from '../../electron/store/index.ts';
import { addPoint, createTier, defaultTier, listPoints, listTiers } from '../../electron/store/tiers.ts';
import { storeSequence, virtualRecording } from '../helpers/store-fixtures.ts';

const stores = storeSequence('ser-store-tiers-');

function workspace() {
  const db = stores.next();
  const recording = storeRecording(db, virtualRecording('a.wav')).recording;
  const session = createSession(db, { name: 'ann' });
  return { db, recording, session };
}

describe('tiers', () => {
  it('gives a new session a default interval tier named like it, where annotations without a tier go', () => {
    const { db, recording, session } = workspace();
    expect(listTiers(db, session.id).map((t) => [t.name, t.kind])).toEqual([['ann', 'interval']]);
    const a = addAnnotation(db, { recordingId: recording.id, sessionId: session.id, startSec: 0, endSec: 1, label: 'sad', intensity: 'strong', note: 'sighs' });
    expect(a).toMatchObject({ tierId: defaultTier(db, session.id).id, intensity: 'strong', note: 'sighs' });
  });

  it('keeps annotations on the tier given, moves them between tiers of the session, and restores a tierless copy to the default', () => {
    const { db, recording, session } = workspace();
    const arousal = createTier(db, session.id, 'arousal');
    const a = addAnnotation(db, { recordingId: recording.id, sessionId: session.id, tierId: arousal.id, startSec: 0, endSec: 1, label: 'calm' });
    expect(listAnnotations(db, { tierId: arousal.id }).map((x) => x.id)).toEqual([a.id]);
    expect(listAnnotations(db, { tierId: defaultTier(db, session.id).id })).toEqual([]);
    const moved = updateAnnotation(db, a.id, { tierId: defaultTier(db, session.id).id }).after;
    expect(moved.tierId).toBe(defaultTier(db, session.id).id);
    const deleted = deleteAnnotation(db, updateAnnotation(db, moved.id, { tierId: arousal.id }).after.id);
    // The renderer's copy of an annotation carries no tier.
    expect(restoreAnnotation(db, { ...deleted, tierId: undefined }).tierId).toBe(defaultTier(db, session.id).id);
  });

  it("refuses another session's tier, a point tier for spans, a blank or repeated tier name", () => {
    const { db, recording, session } = workspace();
    const other = createSession(db, { name: 'bob' });
    const bell = createTier(db, session.id, 'bell', 'point');
    const span = { recordingId: recording.id, sessionId: session.id, startSec: 0, endSec: 1, label: 'sad' };
    expect(() => addAnnotation(db, { ...span, tierId: defaultTier(db, other.id).id })).toThrow(`no tier with id ${defaultTier(db, other.id).id} in session ${session.id}`);
    expect(() => addAnnotation(db, { ...span, tierId: bell.id })).toThrow('tier "bell" holds points, not intervals');
    expect(() => createTier(db, session.id, ' ')).toThrow('a tier name must not be blank');
    expect(() => createTier(db, session.id, 'bell')).toThrow('the session already has a tier named "bell"');
  });

  it('holds points on point tiers, labelled from the session label set', () => {
    const { db, recording, session } = workspace();
    const bell = createTier(db, session.id, 'bell', 'point');
    addPoint(db, { tierId: bell.id, recordingId: recording.id, timeSec: 1.3, label: 'happy' });
    addPoint(db, { tierId: bell.id, recordingId: recording.id, timeSec: 0.9, label: 'sad' });
    expect(listPoints(db, { tierId: bell.id }).map((p) => [p.timeSec, p.label])).toEqual([
      [0.9, 'sad'],
      [1.3, 'happy'],
    ]);
    expect(() => addPoint(db, { tierId: bell.id, recordingId: recording.id, timeSec: 2, label: 'ding' })).toThrow(
      `"ding" is not a class of label set "ravdess" (${EMOTIONS.join(', ')})`,
    );
    expect(() => addPoint(db, { tierId: defaultTier(db, session.id).id, recordingId: recording.id, timeSec: 2, label: 'sad' })).toThrow(
      'tier "ann" holds intervals, not points',
    );
  });
});
