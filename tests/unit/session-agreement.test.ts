import { describe, expect, it } from 'vitest';
import { sessionAgreement } from '../../electron/annotation/session-agreement.ts';
import { addAnnotation, addRecordingToSession, createSession, storeRecording } from '../../electron/store/index.ts';
import { ANNOTATOR_A, ANNOTATOR_B, TWO_ANNOTATORS } from '../helpers/agreement-fixtures.ts';
import { storeSequence, virtualRecording } from '../helpers/store-fixtures.ts';

const { next } = storeSequence('ser-session-agreement-');

describe('sessionAgreement', () => {
  it('rates the recordings a session holds (unannotated time as none), leaves the others missing, and pools alpha over them', () => {
    const db = next();
    const [anna, ben, cara] = ['anna', 'ben', 'cara'].map((name) => createSession(db, { name }));
    const [x, y, z] = ['x.wav', 'y.wav', 'z.wav'].map((name) => storeRecording(db, virtualRecording(name)).recording);
    for (const span of ANNOTATOR_A) addAnnotation(db, { recordingId: x.id, sessionId: anna.id, ...span });
    for (const span of ANNOTATOR_B) addAnnotation(db, { recordingId: x.id, sessionId: ben.id, ...span });
    // z: anna labels its first 0.1 s happy; cara holds it and left it unlabelled (none); ben does not hold it.
    addAnnotation(db, { recordingId: z.id, sessionId: anna.id, startSec: 0, endSec: 0.1, label: 'happy' });
    addRecordingToSession(db, cara.id, z.id);
    // y: anna alone, so nobody to compare with.
    addAnnotation(db, { recordingId: y.id, sessionId: anna.id, startSec: 0, endSec: 1, label: 'calm' });

    const result = sessionAgreement(db, [anna, ben, cara], 0.01);
    expect(result.recordings.map((r) => r.path)).toEqual(['/virtual/x.wav', '/virtual/z.wav']);
    const [onX, onZ] = result.recordings;
    // No frame is rated by all three: no kappa, no observed agreement; alpha takes every pair.
    expect(result.pooled.units).toBe(0);
    expect(result.pooled.fleissKappa).toBeNull();
    expect(result.pooled.observedAgreement).toBeNull();
    expect(result.pooled.pairableUnits).toBe(110);
    expect(onX.figures.krippendorffAlpha).toBeCloseTo(TWO_ANNOTATORS.krippendorffAlpha, 12);
    // z: 10 pairs happy/none: n = 20, sum o_cc = 0, n_c = 10 and 10: alpha = 1 - 19 * 20 / (400 - 200) = -0.9.
    expect(onZ.figures.krippendorffAlpha).toBeCloseTo(-0.9, 12);
    // Pooled: n = 220, sum o_cc = 120, n_c = happy 90, sad 100, none 30 (squares 19,000):
    // alpha = 1 - 219 * 100 / (48,400 - 19,000) = 25/98.
    expect(result.pooled.krippendorffAlpha).toBeCloseTo(25 / 98, 12);
    expect(onZ.extentSec).toBe(0.1);
    expect(onZ.disagreements).toEqual([{ startSec: 0, endSec: 0.1, labels: ['happy', null, 'none'] }]);
    expect(onX.disagreements).toEqual(TWO_ANNOTATORS.disagreements.map((d) => ({ ...d, labels: [...d.labels, null] })));
  });

  it("compares as far as the recording's duration when that outlasts the annotations", () => {
    const db = next();
    const [anna, ben] = ['anna', 'ben'].map((name) => createSession(db, { name }));
    const { recording } = storeRecording(db, { ...virtualRecording('long.wav'), audio: { format: 'wav', sampleRate: 22050, channels: 1, durationSec: 2 } });
    for (const span of ANNOTATOR_A) addAnnotation(db, { recordingId: recording.id, sessionId: anna.id, ...span });
    for (const span of ANNOTATOR_B) addAnnotation(db, { recordingId: recording.id, sessionId: ben.id, ...span });
    const { pooled } = sessionAgreement(db, [anna, ben], 0.01);
    // 100 more frames where both say none: p_o = 160/200, p_e = (50*30 + 50*50 + 100*120) / 200^2 = 0.4,
    // kappa = (0.8 - 0.4) / 0.6 = 2/3.
    expect(pooled.units).toBe(200);
    expect(pooled.observedAgreement).toBeCloseTo(0.8, 12);
    expect(pooled.cohen?.kappa).toBeCloseTo(2 / 3, 12);
  });
});
