import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addClips, apiFixture } from '../helpers/api-fixtures.ts';
import { ANNOTATOR_A, ANNOTATOR_B, TWO_ANNOTATORS } from '../helpers/agreement-fixtures.ts';

const f = await apiFixture('ser-api-agreement-');
// One clip of 1 s: its duration is the hand-worked example's 100 frames.
const folder = await addClips(f, 'clips', [{ frequency: 440, seconds: 1 }]);
const [clip] = await f.call('recordings.list', {});
const sessionIds: number[] = [];
for (const [name, spans] of [['anna', ANNOTATOR_A], ['ben', ANNOTATOR_B]] as const) {
  const { id } = await f.call('sessions.create', { name });
  sessionIds.push(id);
  for (const span of spans) await f.call('annotations.add', { sessionId: id, recordingId: clip.id, ...span });
}

describe('agreement.sessions', () => {
  it("gives two sessions' hand-worked kappa, alpha, confusion and disagreements", async () => {
    const report = await f.call('agreement.sessions', { sessionIds });
    expect(report.sessions).toEqual(['anna', 'ben']);
    expect(report.pooled.kappa.kind).toBe('cohen');
    expect(report.pooled.kappa.value).toBeCloseTo(TWO_ANNOTATORS.cohenKappa, 12);
    expect(report.pooled.krippendorffAlpha).toBeCloseTo(TWO_ANNOTATORS.krippendorffAlpha, 12);
    expect(report.pooled.frames).toBe(TWO_ANNOTATORS.frames);
    const happy = report.categories.indexOf('happy');
    const sad = report.categories.indexOf('sad');
    expect(report.confusion?.[happy][sad]).toBe(20);
    expect(report.recordings).toEqual([
      { recordingId: clip.id, path: clip.path, name: 'clip-000.wav', figures: report.pooled, disagreements: TWO_ANNOTATORS.disagreements },
    ]);
  });

  it('refuses an unknown or repeated session', async () => {
    const unknown = await f.dispatch('agreement.sessions', { sessionIds: [sessionIds[0], 999] });
    expect(unknown).toEqual({ ok: false, error: { code: 'not_found', message: 'no session with id 999' } });
    const repeated = await f.dispatch('agreement.sessions', { sessionIds: [sessionIds[0], sessionIds[0]] });
    expect(repeated.ok ? null : repeated.error.code).toBe('invalid_input');
  });
});

describe('agreement between tiers', () => {
  it("gives two tiers of one session the same hand-worked kappa as two sessions, each tier by its name", async () => {
    // One session, the two annotators as its tiers "anna" (its default tier) and "ben".
    const both = await f.call('sessions.create', { name: 'both' });
    const [first] = await f.call('tiers.list', { sessionId: both.id });
    const second = await f.call('tiers.create', { sessionId: both.id, name: 'ben' });
    for (const [tier, spans] of [[first, ANNOTATOR_A], [second, ANNOTATOR_B]] as const) {
      for (const span of spans) await f.call('annotations.add', { sessionId: both.id, recordingId: clip.id, tierId: tier.id, ...span });
    }
    const report = await f.call('agreement.sessions', { tierIds: [first.id, second.id] });
    expect(report.sessions).toEqual(['both', 'ben']);
    expect(report.pooled.kappa.value).toBeCloseTo(TWO_ANNOTATORS.cohenKappa, 12);
    expect(report.pooled.krippendorffAlpha).toBeCloseTo(TWO_ANNOTATORS.krippendorffAlpha, 12);
    expect(report.recordings[0].disagreements).toEqual(TWO_ANNOTATORS.disagreements);
    // The session as a whole mixes its tiers: compared with anna, it is not the tiers' figure.
    const whole = await f.call('agreement.sessions', { sessionIds: [sessionIds[0], both.id] });
    expect(whole.pooled.kappa.value).not.toBeCloseTo(TWO_ANNOTATORS.cohenKappa, 6);
    // Tiers of different sessions are named by their session too.
    const [annaTier] = await f.call('tiers.list', { sessionId: sessionIds[0] });
    expect((await f.call('agreement.sessions', { tierIds: [annaTier.id, second.id] })).sessions).toEqual(['anna › anna', 'both › ben']);
  });

  it('takes sessions or tiers, not both, and refuses a tier of points', async () => {
    const mixed = await f.dispatch('agreement.sessions', { sessionIds, tierIds: [1, 2] });
    expect(mixed.ok ? null : mixed.error.code).toBe('invalid_input');
    const points = await f.call('tiers.create', { sessionId: sessionIds[0], name: 'beats', kind: 'point' });
    const [annaTier] = await f.call('tiers.list', { sessionId: sessionIds[0] });
    expect(await f.dispatch('agreement.sessions', { tierIds: [annaTier.id, points.id] })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'tier "beats" holds points in time, not stretches to compare' },
    });
  });
});

describe('agreement.export', () => {
  it('writes the report inside the library', async () => {
    const target = join(folder, 'agreement.csv');
    expect(await f.call('agreement.export', { sessionIds, path: target })).toEqual({ path: target, rows: 4 });
    const rows = parse(readFileSync(target, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.scope, r.start_s, r.end_s, r.label_anna, r.label_ben])).toEqual([
      ['recording', '0', '1', '', ''],
      ['disagreement', '0.3', '0.5', 'happy', 'sad'],
      ['disagreement', '0.8', '1', 'sad', 'none'],
      ['pooled', '', '', '', ''],
    ]);
  });
});
