import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addClips, apiFixture } from '../helpers/api-fixtures.ts';
import { AUDACITY_EMOTIONS, TEXTGRID_SHORT_EMOTIONS } from '../helpers/interop-fixtures.ts';

const f = await apiFixture('ser-api-annotation-files-');
const folder = await addClips(f, 'clips', [{ frequency: 440, seconds: 2 }]);
const [clip] = await f.call('recordings.list', {});
const session = await f.call('sessions.create', { name: 'anna' });
const write = (name: string, text: string) => {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
};
const failure = async (method: 'annotations.import' | 'annotations.export', input: object) => {
  const reply = await f.dispatch(method, input);
  return reply.ok ? null : reply.error;
};
const spans = async (tierId: number) =>
  (await f.call('annotations.list', { sessionId: session.id, tierId })).map((a) => [a.startSec, a.endSec, a.label]);

describe('tiers', () => {
  it("lists a new session's default tier and creates more, refusing a name twice", async () => {
    const s = await f.call('sessions.create', { name: 'tiers' });
    expect(await f.call('tiers.list', { sessionId: s.id })).toEqual([{ id: expect.any(Number), sessionId: s.id, name: 'tiers', kind: 'interval' }]);
    const arousal = await f.call('tiers.create', { sessionId: s.id, name: 'arousal' });
    expect((await f.call('tiers.list', { sessionId: s.id })).map((t) => t.name)).toEqual(['tiers', 'arousal']);
    const again = await f.dispatch('tiers.create', { sessionId: s.id, name: 'arousal' });
    expect(again).toEqual({ ok: false, error: { code: 'conflict', message: 'the session already has a tier named "arousal"' } });
    // An annotation on the second tier keeps it through delete and restore (the renderer's undo).
    const added = await f.call('annotations.add', { sessionId: s.id, recordingId: clip.id, tierId: arousal.id, startSec: 0, endSec: 1, label: 'calm' });
    expect(added.tierId).toBe(arousal.id);
    const deleted = await f.call('annotations.delete', { id: added.id });
    expect((await f.call('annotations.restore', deleted)).tierId).toBe(arousal.id);
  });
});

describe('annotations.import', () => {
  it("puts a TextGrid's tier into the session's tier of its name, once however often it is imported", async () => {
    const path = write('clip-000.TextGrid', TEXTGRID_SHORT_EMOTIONS);
    const input = { path, sessionId: session.id, recordingId: clip.id };
    expect(await f.call('annotations.import', input)).toEqual([{ tier: 'emotion', kind: 'interval', added: 2, present: 0 }]);
    expect(await f.call('annotations.import', input)).toEqual([{ tier: 'emotion', kind: 'interval', added: 0, present: 2 }]);
    const emotion = (await f.call('tiers.list', { sessionId: session.id })).find((t) => t.name === 'emotion')!;
    expect(await spans(emotion.id)).toEqual([
      [0.25, 1.125, 'happy'],
      [1.125, 2, 'sad'],
    ]);
  });

  it('reads an Audacity label track (spectral-selection line and all) into a tier named after the file', async () => {
    const path = write('ben.txt', AUDACITY_EMOTIONS);
    expect(await f.call('annotations.import', { path, sessionId: session.id, recordingId: clip.id })).toEqual([{ tier: 'ben', kind: 'interval', added: 2, present: 0 }]);
    const ben = (await f.call('tiers.list', { sessionId: session.id })).find((t) => t.name === 'ben')!;
    expect(await spans(ben.id)).toEqual([
      [0.1, 0.6, 'angry'],
      [0.8, 1.9, 'calm'],
    ]);
  });

  it('refuses a broken file naming its line, and a label outside the session, adding nothing', async () => {
    const before = (await f.call('annotations.list', { sessionId: session.id })).length;
    // Praat's short format skips unquoted words as comments, so the break shows on the next value's line.
    const broken = write('broken.TextGrid', TEXTGRID_SHORT_EMOTIONS.replace('1.125\n2\n', '1.125\nlate\n'));
    expect(await failure('annotations.import', { path: broken, sessionId: session.id, recordingId: clip.id })).toEqual({
      code: 'invalid_input',
      message: `${broken}: line 21: expected an interval xmax, found string "sad"`,
    });
    // The first label fits, the second does not: the whole file is refused.
    const foreign = write('foreign.txt', '0\t0.5\thappy\n0.5\t1\tbored\n');
    const error = await failure('annotations.import', { path: foreign, sessionId: session.id, recordingId: clip.id });
    expect(error?.code).toBe('invalid_input');
    expect(error?.message).toMatch(new RegExp(`^${foreign}: tier "foreign": .*bored`));
    expect(await f.call('annotations.list', { sessionId: session.id })).toHaveLength(before);
    expect((await f.call('tiers.list', { sessionId: session.id })).map((t) => t.name)).not.toContain('foreign');
  });

  it('says which labels the session lacks, and imports them renamed or left out as the user answered', async () => {
    // A session of its own: the export below counts the other session's tiers.
    const mapper = await f.call('sessions.create', { name: 'mapper' });
    const path = write('mapped.txt', '0\t0.5\tHappy\n0.5\t1\tbored\n1\t1.5\tsad\n');
    expect(await f.call('annotations.labelsOf', { path, sessionId: mapper.id })).toEqual({
      labels: ['Happy', 'bored', 'sad'],
      unknown: ['Happy', 'bored'],
      sessionLabels: ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'],
    });
    // Nothing was imported by asking.
    expect((await f.call('tiers.list', { sessionId: mapper.id })).map((t) => t.name)).not.toContain('mapped');
    const labelMap = { Happy: 'happy', bored: null };
    expect(await f.call('annotations.import', { path, sessionId: mapper.id, recordingId: clip.id, labelMap })).toEqual([{ tier: 'mapped', kind: 'interval', added: 2, present: 0 }]);
    const mapped = (await f.call('tiers.list', { sessionId: mapper.id })).find((t) => t.name === 'mapped')!;
    expect((await f.call('annotations.list', { sessionId: mapper.id, tierId: mapped.id })).map((a) => [a.startSec, a.endSec, a.label])).toEqual([
      [0, 0.5, 'happy'],
      [1, 1.5, 'sad'],
    ]);
    // A mapping onto a label the session lacks is refused whole, as any unknown label is.
    const again = write('mapped-2.txt', '0\t0.5\tHappy\n');
    expect((await failure('annotations.import', { path: again, sessionId: mapper.id, recordingId: clip.id, labelMap: { Happy: 'joyful' } }))?.message).toMatch(/joyful/);
  });

  it('reads only files inside the library, of a format it knows', async () => {
    const outside = join(f.dir, 'outside.TextGrid');
    writeFileSync(outside, TEXTGRID_SHORT_EMOTIONS);
    expect((await failure('annotations.import', { path: outside, sessionId: session.id, recordingId: clip.id }))?.code).toBe('forbidden_path');
    const unknown = write('labels.csv', 'start,end\n');
    expect((await failure('annotations.import', { path: unknown, sessionId: session.id, recordingId: clip.id }))?.message).toBe(
      `${unknown}: cannot tell the format from the extension; choose one of textgrid, audacity, eaf, labelstudio`,
    );
  });
});

describe('annotations.export', () => {
  it("writes the session's tiers of a recording as one ELAN file in the library, replacing it only when told", async () => {
    const out = join(folder, 'eaf');
    mkdirSync(out);
    const input = { sessionId: session.id, format: 'eaf' as const, folder: out, recordingId: clip.id };
    const path = join(out, 'clip-000.eaf');
    expect(await f.call('annotations.export', input)).toEqual({ files: [{ path, tiers: 2 }] });
    const eaf = readFileSync(path, 'utf8');
    // Tiers by name; times as ELAN's milliseconds: the TextGrid's 1.125 s and Audacity's 0.6 s.
    expect(eaf).toMatch(/TIER_ID="emotion"/);
    expect(eaf).toMatch(/TIER_ID="ben"/);
    expect(eaf).toMatch(/TIME_VALUE="1125"/);
    expect(eaf).toMatch(/TIME_VALUE="600"/);
    expect((await failure('annotations.export', input))?.code).toBe('conflict');
    expect(await f.call('annotations.export', { ...input, replace: true })).toEqual({ files: [{ path, tiers: 2 }] });
  });

  it("never writes over the user's own files, nor outside the library", async () => {
    const out = join(folder, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'clip-000.TextGrid'), 'my own work');
    const error = await failure('annotations.export', { sessionId: session.id, format: 'textgrid', folder: out, replace: true });
    expect(error?.code).toBe('forbidden_path');
    expect(readFileSync(join(out, 'clip-000.TextGrid'), 'utf8')).toBe('my own work');
    expect((await failure('annotations.export', { sessionId: session.id, format: 'textgrid', folder: f.dir }))?.code).toBe('forbidden_path');
  });
});
