import { parse } from 'csv-parse/sync';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiReply } from '../../electron/api/transport/contract.ts';
import { insertPredictions } from '../../electron/store/index.ts';
import { addClips, apiFixture, writeSine } from '../helpers/api-fixtures.ts';
import { probabilities } from '../helpers/store-fixtures.ts';

const f = await apiFixture('ser-api-service-');
// 0: 440 Hz at 0.5 for 2 s; 1: 1 kHz at 0.25 for 3 s; 2: 2 kHz at 0.8 for 1 s.
const folder = await addClips(f, 'clips', [
  { frequency: 440, seconds: 2, amp: 0.5 },
  { frequency: 1000, seconds: 3, amp: 0.25 },
  { frequency: 2000, seconds: 1, amp: 0.8 },
]);
const recordings = await f.call('recordings.list', {});
const idOf = (name: string) => recordings.find((r) => r.name === name)!.id;

const failure = (reply: ApiReply<unknown>) => (reply.ok ? null : reply.error);

describe('library', () => {
  it('imports the folder: the job reports progress and its counts, and the recordings are listed with their facts', async () => {
    const finished = f.log.events.find((e) => e.type === 'job.finished');
    expect(finished).toMatchObject({ kind: 'import', result: { added: 3, alreadyKnown: 0, failed: [] } });
    expect(f.log.events.some((e) => e.type === 'job.progress' && e.done === 3 && e.total === 3)).toBe(true);
    expect(f.log.events.at(-1)).toEqual({ type: 'library.changed' });
    expect(recordings.map((r) => [r.name, r.format, r.durationSec, r.sampleRate, r.channels, r.available, r.latest, r.annotationCount])).toEqual([
      ['clip-000.wav', 'wav', 2, 22050, 1, true, null, 0],
      ['clip-001.wav', 'wav', 3, 22050, 1, true, null, 0],
      ['clip-002.wav', 'wav', 1, 22050, 1, true, null, 0],
    ]);
    expect(await f.call('library.folders', {})).toEqual([{ id: 1, path: folder, addedAt: expect.any(String) }]);
  });

  it('adds the same folder again without duplicating anything', async () => {
    const { jobId } = await f.call('library.add', { path: `${folder}/` });
    expect(await f.log.end(jobId)).toMatchObject({ type: 'job.finished', result: { added: 0, alreadyKnown: 3 } });
    expect(await f.call('library.folders', {})).toHaveLength(1);
  });

  it('refuses a path that does not exist, saying so', async () => {
    const missing = join(f.dir, 'no-such-folder');
    expect(failure(await f.dispatch('library.add', { path: missing }))).toEqual({ code: 'not_found', message: `path ${missing} does not exist` });
  });

  it('neither imports nor reads through a link that leads out of the added folders', async () => {
    const outside = join(f.dir, 'outside');
    mkdirSync(outside);
    writeSine(join(outside, 'secret.wav'), 300, 1);
    const linked = join(f.dir, 'linked');
    mkdirSync(linked);
    writeSine(join(linked, 'own.wav'), 300, 1);
    symlinkSync(join(outside, 'secret.wav'), join(linked, 'link.wav'));
    const { jobId } = await f.call('library.add', { path: linked });
    // The scan follows the link, so the refusal is said rather than the file silently left out.
    const refusedLink = { path: join(linked, 'link.wav'), error: `${join(linked, 'link.wav')} is outside the library's folders; add its folder first` };
    expect(await f.log.end(jobId)).toMatchObject({ type: 'job.finished', result: { added: 1, failed: [refusedLink] } });
    const listed = (await f.call('recordings.list', {})).filter((r) => r.path.startsWith(linked));
    expect(listed.map((r) => r.name)).toEqual(['own.wav']);
    // The imported file is swapped for a link to a file outside: reads are refused from then on.
    rmSync(join(linked, 'own.wav'));
    symlinkSync(join(outside, 'secret.wav'), join(linked, 'own.wav'));
    const refused = failure(await f.dispatch('recordings.peaks', { id: listed[0].id, points: 16 }));
    expect(refused).toEqual({ code: 'forbidden_path', message: `${join(linked, 'own.wav')} is outside the library's folders; add its folder first` });
    await f.call('library.removeFolder', { id: (await f.call('library.folders', {})).find((e) => e.path === linked)!.id });
  });

  it('searches and filters the list by latest label, confidence and session', async () => {
    expect((await f.call('recordings.list', { search: 'CLIP-001' })).map((r) => r.name)).toEqual(['clip-001.wav']);
    insertPredictions(f.db, {
      model: { name: 'other', version: '1', labels: ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'] },
      runId: 'r1',
      files: [
        {
          recording: { path: join(folder, 'clip-000.wav'), ...sizeAndHash(f, 'clip-000.wav') },
          windows: [
            { start: 0, end: 1, probabilities: probabilities('happy', 0.9) },
            { start: 1, end: 2, probabilities: probabilities('happy', 0.7) },
          ],
        },
      ],
    });
    const [listed] = await f.call('recordings.list', { label: 'happy' });
    expect(listed.name).toBe('clip-000.wav');
    expect(listed.latest).toMatchObject({ label: 'happy', modelName: 'other' });
    expect(listed.latest!.confidence).toBeCloseTo(0.8, 6);
    expect(await f.call('recordings.list', { label: 'happy', minConfidence: 0.81 })).toEqual([]);
    expect(await f.call('recordings.list', { minConfidence: 0.8 })).toHaveLength(1);
    const session = await f.call('sessions.create', { name: 'filter session' });
    expect(await f.call('recordings.list', { sessionId: session.id })).toEqual([]);
  });
});

function sizeAndHash(fixture: typeof f, name: string): { contentHash: string; sizeBytes: number } {
  const row = fixture.db.prepare('SELECT content_hash, size_bytes FROM recordings WHERE path = ?').get(join(folder, name)) as { content_hash: string; size_bytes: number };
  return { contentHash: row.content_hash, sizeBytes: row.size_bytes };
}

describe('recordings.peaks', () => {
  it("gives each slice's largest |sample|: the sine's amplitude", async () => {
    const peaks = await f.call('recordings.peaks', { id: idOf('clip-000.wav'), points: 200 });
    expect(peaks).toMatchObject({ durationSec: 2, startSec: 0, endSec: 2 });
    expect(peaks.peaks).toHaveLength(200);
    // 10 ms slices hold 4.4 periods of 440 Hz, so each reaches the crest (16-bit rounding aside).
    for (const p of peaks.peaks) expect(p).toBeCloseTo(0.5, 3);
    const loud = await f.call('recordings.peaks', { id: idOf('clip-002.wav'), points: 16 });
    for (const p of loud.peaks) expect(p).toBeCloseTo(0.8, 3);
  });

  it('covers only the stretch asked for, clamped to the recording', async () => {
    const peaks = await f.call('recordings.peaks', { id: idOf('clip-001.wav'), points: 16, startSec: 1.5, endSec: 10 });
    expect(peaks).toMatchObject({ startSec: 1.5, endSec: 3, durationSec: 3 });
    expect(failure(await f.dispatch('recordings.peaks', { id: idOf('clip-001.wav'), points: 16, startSec: 5 }))?.code).toBe('invalid_input');
    expect(failure(await f.dispatch('recordings.peaks', { id: 999, points: 16 }))).toEqual({ code: 'not_found', message: 'no recording with id 999' });
  });
});

describe('recordings.spectrogram', () => {
  /** The Slaney mel scale (librosa's default), written out here as the known answer. */
  const hzToMel = (hz: number) => (hz >= 1000 ? 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27) : hz / (200 / 3));

  it("peaks, in every frame, at the mel band whose centre is nearest 1 kHz, with the model's settings", async () => {
    const s = await f.call('recordings.spectrogram', { id: idOf('clip-001.wav') });
    expect(s).toMatchObject({ startSec: 0, endSec: 3, nMels: 128, fMin: 0, fMax: 11025, topDb: 80 });
    expect(s.frameSec).toBeCloseTo(512 / 22050, 12);
    expect(s.frames).toBe(1 + Math.floor((3 * 22050) / 512));
    const data = Buffer.from(s.data, 'base64');
    expect(data.length).toBe(s.frames * s.nMels);
    const centres = Array.from({ length: 128 }, (_, m) => ((m + 1) * hzToMel(11025)) / 129);
    const expected = centres.reduce((best, c, m) => (Math.abs(c - hzToMel(1000)) < Math.abs(centres[best] - hzToMel(1000)) ? m : best), 0);
    // Frames away from the zero-padded edges.
    for (let t = 5; t < s.frames - 5; t++) {
      const row = [...data.subarray(t * 128, (t + 1) * 128)];
      expect(Math.abs(row.indexOf(Math.max(...row)) - expected)).toBeLessThanOrEqual(1);
    }
    expect(Math.max(...data)).toBe(255);
    // Far from the tone the bands sit at the -80 dB floor.
    expect(data[64 * 128 + 120]).toBe(0);
  });

  it('covers a stretch', async () => {
    const s = await f.call('recordings.spectrogram', { id: idOf('clip-001.wav'), startSec: 1, endSec: 2 });
    expect(s.frames).toBe(1 + Math.floor(22050 / 512));
  });

  it('reduces a stretch to the columns asked for, and refuses fewer than 16', async () => {
    const s = await f.call('recordings.spectrogram', { id: idOf('clip-001.wav'), startSec: 0, endSec: 3, columns: 32 });
    expect(s).toMatchObject({ frames: 32, nMels: 128, endSec: 3 });
    expect(s.frameSec).toBeCloseTo((Math.ceil((3 * 22050) / 512) / 32) * (512 / 22050), 12);
    expect(Buffer.from(s.data, 'base64').length).toBe(32 * 128);
    expect(failure(await f.dispatch('recordings.spectrogram', { id: idOf('clip-001.wav'), columns: 8 }))?.code).toBe('invalid_input');
  });
});

describe('annotations', () => {
  it('adds, lists, updates, deletes and restores under the same id', async () => {
    const session = await f.call('sessions.create', { name: 'round trip', annotator: 'ann' });
    expect(session).toMatchObject({ name: 'round trip', annotator: 'ann', labels: expect.arrayContaining(['happy', 'sad']), annotationCount: 0 });
    const recordingId = idOf('clip-001.wav');
    const added = await f.call('annotations.add', { sessionId: session.id, recordingId, startSec: 0.5, endSec: 1.5, label: 'sad', intensity: 'strong' });
    expect(added).toMatchObject({ sessionId: session.id, recordingId, startSec: 0.5, endSec: 1.5, label: 'sad', intensity: 'strong', note: null });
    expect(await f.call('annotations.list', { sessionId: session.id })).toEqual([added]);

    const updated = await f.call('annotations.update', { id: added.id, label: 'angry', note: 'raised voice' });
    expect(updated).toMatchObject({ id: added.id, startSec: 0.5, endSec: 1.5, label: 'angry', intensity: 'strong', note: 'raised voice' });

    const deleted = await f.call('annotations.delete', { id: added.id });
    expect(deleted).toEqual(updated);
    expect(await f.call('annotations.list', { sessionId: session.id, recordingId })).toEqual([]);
    expect(failure(await f.dispatch('annotations.delete', { id: added.id }))?.code).toBe('not_found');

    const restored = await f.call('annotations.restore', deleted);
    expect(restored).toEqual(deleted);
    expect(await f.call('annotations.list', { sessionId: session.id })).toEqual([deleted]);
    expect((await f.call('sessions.list', {})).find((s) => s.id === session.id)?.annotationCount).toBe(1);
    expect((await f.call('recordings.get', { id: recordingId })).annotationCount).toBe(1);
    expect(f.log.events.at(-1)).toEqual({ type: 'library.changed' });
  });

  it("refuses labels outside the session's set and empty spans, with the store's message", async () => {
    const [session] = await f.call('sessions.list', {});
    const recordingId = idOf('clip-000.wav');
    const bad = failure(await f.dispatch('annotations.add', { sessionId: session.id, recordingId, startSec: 0, endSec: 1, label: 'bored' }));
    expect(bad).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('"bored" is not a class') });
    const empty = failure(await f.dispatch('annotations.add', { sessionId: session.id, recordingId, startSec: 1, endSec: 1, label: 'sad' }));
    expect(empty?.code).toBe('invalid_input');
    expect(failure(await f.dispatch('sessions.create', { name: session.name }))?.code).toBe('conflict');
  });
});

describe('export.csv', () => {
  it('writes the annotations report inside the library, and its rows parse back', async () => {
    const target = join(folder, 'annotations.csv');
    const result = await f.call('export.csv', { kind: 'annotations', path: target });
    const rows = parse(readFileSync(target, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(result).toEqual({ path: target, rows: rows.length });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ session: 'round trip', path: join(folder, 'clip-001.wav'), start_s: '0.5', end_s: '1.5', label: 'angry' });
  });

  it('writes the predictions and summary reports', async () => {
    const predictions = await f.call('export.csv', { kind: 'predictions', path: join(folder, 'predictions.csv') });
    expect(parse(readFileSync(predictions.path, 'utf8'), { columns: true })).toHaveLength(predictions.rows);
    expect(predictions.rows).toBe(2);
    const files = await f.call('export.csv', { kind: 'predictions', per: 'file', path: join(folder, 'predictions-per-file.csv') });
    const fileRows = parse(readFileSync(files.path, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(fileRows.map((r) => r.scope)).toEqual(fileRows.map(() => 'file'));
    expect(new Set(fileRows.map((r) => r.path)).size).toBe(fileRows.length);
    const summary = await f.call('export.csv', { kind: 'summary', path: join(folder, 'summary.csv') });
    const summaryRows = parse(readFileSync(summary.path, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(summaryRows).toHaveLength(summary.rows);
    // One row per recording of the library, then one per label.
    expect(summaryRows.filter((r) => r.scope === 'recording')).toHaveLength((await f.call('recordings.list', {})).length);
    expect(summaryRows.filter((r) => r.scope === 'label')).toHaveLength(8);
  });

  it('refuses to write outside the library, through ../ or through a link', async () => {
    const outside = join(f.dir, 'exports-outside');
    mkdirSync(outside);
    const viaDots = failure(await f.dispatch('export.csv', { kind: 'summary', path: `${folder}/../exports-outside/x.csv` }));
    expect(viaDots?.code).toBe('forbidden_path');
    symlinkSync(outside, join(folder, 'link-out'));
    expect(failure(await f.dispatch('export.csv', { kind: 'summary', path: join(folder, 'link-out', 'x.csv') }))?.code).toBe('forbidden_path');
    writeFileSync(join(outside, 'victim.csv'), 'keep me');
    symlinkSync(join(outside, 'victim.csv'), join(folder, 'victim-link.csv'));
    expect(failure(await f.dispatch('export.csv', { kind: 'summary', path: join(folder, 'victim-link.csv') }))?.code).toBe('forbidden_path');
    expect(readFileSync(join(outside, 'victim.csv'), 'utf8')).toBe('keep me');
  });

  it('writes where a native save dialog said, once', async () => {
    const picked = join(f.dir, 'exports-outside', 'picked.csv');
    f.service.paths.grantWrite(picked);
    expect((await f.call('export.csv', { kind: 'summary', path: picked })).rows).toBeGreaterThan(8);
    expect(failure(await f.dispatch('export.csv', { kind: 'summary', path: picked }))?.code).toBe('forbidden_path');
  });
});

describe('library.removeFolder', () => {
  it('hides the folder’s recordings and stops reads from it, keeping their data', async () => {
    const [entry] = (await f.call('library.folders', {})).filter((e) => e.path === folder);
    await f.call('library.removeFolder', { id: entry.id });
    expect((await f.call('recordings.list', {})).map((r) => r.name)).toEqual([]);
    expect(failure(await f.dispatch('recordings.peaks', { id: idOf('clip-000.wav'), points: 16 }))?.code).toBe('forbidden_path');
    expect(failure(await f.dispatch('library.removeFolder', { id: entry.id }))?.code).toBe('not_found');
    const session = (await f.call('sessions.list', {})).find((s) => s.name === 'round trip')!;
    expect(await f.call('annotations.list', { sessionId: session.id })).toHaveLength(1);
  });
});
