import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AudioDecodeError } from '../../electron/audio/errors.ts';
import {
  addAnnotation,
  createSession,
  getRecordingByPath,
  hashFile,
  importRecordings,
  listAnnotations,
  listRecordings,
  type ImportOutcome,
  type StoreDb,
} from '../../electron/store/index.ts';
import { storeSequence } from '../helpers/store-fixtures.ts';
import { encodeWav, sine } from '../helpers/wav-writer.ts';

const { dir: root, next } = storeSequence('ser-store-import-');
let db: StoreDb;
let folder: string;
let n = 0;

function wav(name: string, seconds: number, sampleRate = 16000, channels = 1): string {
  const path = join(folder, name);
  const tone = sine(220 + seconds * 100, sampleRate, seconds);
  writeFileSync(path, encodeWav({ sampleRate, format: 'pcm16', channels: Array.from({ length: channels }, () => tone) }));
  return path;
}

const summary = (outcomes: ImportOutcome[]) =>
  outcomes.map((o) => (o.kind === 'unreadable' ? `${o.kind}:${o.reason}` : o.kind) + ` ${o.path.slice(folder.length + 1)}`);

beforeEach(() => {
  db = next();
  folder = join(root, `f${++n}`);
  mkdirSync(join(folder, 'sub'), { recursive: true });
});

describe('importing recordings', () => {
  it('adds new files with their audio facts, skips duplicates and reports unreadable files', async () => {
    const a = wav('a.wav', 1);
    wav('sub/b, "stereo".wav', 0.5, 22050, 2);
    const copy = join(folder, 'sub/copy of a.wav');
    writeFileSync(copy, encodeWav({ sampleRate: 16000, format: 'pcm16', channels: [sine(320, 16000, 1)] }));
    writeFileSync(join(folder, 'notes.wav'), 'not audio at all');
    writeFileSync(join(folder, 'empty.wav'), '');
    const progress: number[] = [];
    const report = await importRecordings(db, [folder, join(root, 'nowhere')], { onProgress: (_, done, total) => progress.push(done / total) });

    expect(summary(report.outcomes)).toEqual([
      'added a.wav',
      'unreadable:empty empty.wav',
      'unreadable:not-audio notes.wav',
      'added sub/b, "stereo".wav',
      'duplicate sub/copy of a.wav',
    ]);
    expect(report.unmatched).toEqual([join(root, 'nowhere')]);
    expect(progress).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    const notes = report.outcomes[2];
    expect(notes.kind === 'unreadable' && notes.message).toMatch(/notes\.wav: not a recognised audio file \(looks like text/);
    const dup = report.outcomes[4];
    expect(dup.kind === 'duplicate' && dup.recording.path).toBe(a);

    expect(listRecordings(db).map((r) => [r.path.slice(folder.length + 1), r.format, r.sampleRate, r.channels, r.durationSec])).toEqual([
      ['a.wav', 'wav', 16000, 1, 1],
      ['sub/b, "stereo".wav', 'wav', 22050, 2, 0.5],
    ]);
    expect(getRecordingByPath(db, a)!.contentHash).toBe(createHash('sha256').update(encodeWav({ sampleRate: 16000, format: 'pcm16', channels: [sine(320, 16000, 1)] })).digest('hex'));

    const again = await importRecordings(db, [folder]);
    expect(summary(again.outcomes).filter((s) => !s.startsWith('unreadable'))).toEqual([
      'unchanged a.wav',
      'unchanged sub/b, "stereo".wav',
      'duplicate sub/copy of a.wav',
    ]);
  });

  it('follows a moved file by its content, keeping its annotations', async () => {
    const a = wav('a.wav', 1);
    await importRecordings(db, [folder]);
    const session = createSession(db, { name: 's' });
    const { id } = getRecordingByPath(db, a)!;
    addAnnotation(db, { recordingId: id, sessionId: session.id, startSec: 0, endSec: 1, label: 'calm' });

    const moved = join(folder, 'sub', 'renamed é.wav');
    renameSync(a, moved);
    const report = await importRecordings(db, [folder]);
    expect(report.outcomes).toEqual([expect.objectContaining({ kind: 'moved', path: moved, movedFrom: a, recording: expect.objectContaining({ id, path: moved }) })]);
    expect(getRecordingByPath(db, a)).toBeUndefined();
    expect(listAnnotations(db, { recordingId: id })).toHaveLength(1);
  });

  it('reports an edited file and changes nothing unless the change is accepted', async () => {
    const a = wav('a.wav', 1);
    await importRecordings(db, [folder]);
    const before = getRecordingByPath(db, a)!;
    wav('a.wav', 2);
    const report = await importRecordings(db, [folder]);
    expect(summary(report.outcomes)).toEqual(['changed a.wav']);
    expect(getRecordingByPath(db, a)).toEqual(before);

    const accepted = await importRecordings(db, [folder], { acceptChanges: true });
    expect(summary(accepted.outcomes)).toEqual(['updated a.wav']);
    const after = getRecordingByPath(db, a)!;
    expect(after).toMatchObject({ id: before.id, durationSec: 2, sizeBytes: before.sizeBytes + 32000 });
    expect(after.contentHash).toBe((await hashFile(a)).contentHash);
  });

  it('uses an injected probe, reports its errors with their reason, and adds recordings to a session', async () => {
    wav('a.wav', 1);
    wav('b.wav', 2);
    const session = createSession(db, { name: 'batch' });
    const probe = async (path: string) => {
      if (path.endsWith('b.wav')) throw new AudioDecodeError(path, 'unsupported-codec', 'unsupported audio format: test');
      return { format: 'wav', sampleRate: 8000, channels: 1 };
    };
    const report = await importRecordings(db, [folder], { probe, sessionId: session.id });
    expect(summary(report.outcomes)).toEqual(['added a.wav', 'unreadable:unsupported-codec b.wav']);
    expect(listRecordings(db, { sessionId: session.id })).toEqual([expect.objectContaining({ sampleRate: 8000, durationSec: null })]);
  });

  it.skipIf(process.getuid?.() === 0)('reports a file it may not read as unreadable: permission denied', async () => {
    const secret = wav('secret.wav', 1);
    chmodSync(secret, 0o000);
    try {
      const report = await importRecordings(db, [folder]);
      expect(report.outcomes).toEqual([{ kind: 'unreadable', path: secret, reason: 'unreadable', message: `${secret}: permission denied` }]);
    } finally {
      chmodSync(secret, 0o600);
    }
  });

  it('hashes a file as a stream, identical to hashing its bytes at once', async () => {
    const big = join(folder, 'big.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    writeFileSync(big, bytes);
    expect(await hashFile(big)).toEqual({ contentHash: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length });
  });
});
