import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FILE_NAME_CONVENTIONS, parseFileName } from '../../electron/ml/datasets/file-name-conventions.ts';
import { DatasetError, importDataset, summariseDataset, type Dataset, type FileNameConventionName } from '../../electron/ml/datasets/index.ts';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import { sharedDir, skipMessage } from '../helpers/shared.ts';
import { encodeWav, sine } from '../helpers/wav-writer.ts';

const ravdessDir = sharedDir('data', 'ravdess');
if (!ravdessDir) console.warn(skipMessage('RAVDESS import', 'data', 'ravdess'));

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ser-datasets-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const RATE = 8000;

/** Writes a short WAV (default 0.25 s) at root/relative and returns its path. */
function clip(root: string, relative: string, seconds = 0.25): string {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [sine(300, RATE, seconds)] }));
  return path;
}

function folder(name: string, files: Record<string, number>): string {
  const root = join(tmp, name);
  for (const [relative, seconds] of Object.entries(files)) clip(root, relative, seconds);
  return root;
}

const convention = (name: FileNameConventionName) => FILE_NAME_CONVENTIONS.find((c) => c.name === name)!;
const parse = (name: FileNameConventionName, file: string) => parseFileName(convention(name), `/data/${file}`);
const summary = (d: Dataset) => d.items.map((i) => [i.path.slice(d.root.length + 1), i.label, i.speaker, i.gender]);

describe('file-name conventions', () => {
  it('reads RAVDESS: emotion code to label in EMOTIONS order, actor, odd actors male', () => {
    EMOTIONS.forEach((emotion, i) => {
      expect(parse('ravdess', `03-01-0${i + 1}-01-01-01-12.wav`)).toEqual({ label: emotion, speaker: '12', gender: 'female' });
    });
    expect(parse('ravdess', '03-01-05-02-02-01-07.flac')).toEqual({ label: 'angry', speaker: '07', gender: 'male' });
  });

  it('rejects RAVDESS names with codes out of range, saying which field', () => {
    expect(parse('ravdess', '03-01-09-01-01-01-01.wav')).toMatch(/emotion code 09/);
    expect(parse('ravdess', '03-03-01-01-01-01-01.wav')).toMatch(/vocal channel code 03/);
    expect(parse('ravdess', '03-01-01-01-01-01-25.wav')).toMatch(/actor 25/);
    expect(parse('ravdess', '03-01-01-01-01-01.wav')).toMatch(/does not fit.*RAVDESS/);
  });

  it('reads CREMA-D: speaker and emotion, gender unknown', () => {
    expect(parse('crema-d', '1001_DFA_ANG_XX.wav')).toEqual({ label: 'angry', speaker: '1001' });
    const labels = ['DIS', 'FEA', 'HAP', 'NEU', 'SAD'].map((e) => (parse('crema-d', `1091_IEO_${e}_HI.wav`) as { label: string }).label);
    expect(labels).toEqual(['disgust', 'fearful', 'happy', 'neutral', 'sad']);
    expect(parse('crema-d', '1001_DFA_XYZ_XX.wav')).toMatch(/emotion XYZ is not one of ANG, DIS, FEA, HAP, NEU, SAD/);
    expect(parse('crema-d', '1001_DFA_ANG_ZZ.wav')).toMatch(/level ZZ/);
  });

  it("reads TESS: OAF and YAF, both female, 'ps' is surprised and 'fear' fearful", () => {
    expect(parse('tess', 'OAF_back_angry.wav')).toEqual({ label: 'angry', speaker: 'OAF', gender: 'female' });
    expect(parse('tess', 'YAF_dog_ps.wav')).toEqual({ label: 'surprised', speaker: 'YAF', gender: 'female' });
    expect(parse('tess', 'YAF_dog_fear.wav')).toEqual({ label: 'fearful', speaker: 'YAF', gender: 'female' });
    expect(parse('tess', 'YAF_dog_calm.wav')).toMatch(/TESS emotion calm/);
    expect(parse('tess', 'OA_bite_neutral.wav')).toMatch(/does not fit.*TESS/);
  });

  it("reads EmoDB: the speaker's documented gender, German emotion letters, boredom kept as its own label", () => {
    expect(parse('emodb', '03a01Fa.wav')).toEqual({ label: 'happy', speaker: '03', gender: 'male' });
    expect(parse('emodb', '16b10Lb.wav')).toEqual({ label: 'boredom', speaker: '16', gender: 'female' });
    const letters = { W: 'angry', E: 'disgust', A: 'fearful', T: 'sad', N: 'neutral' };
    for (const [letter, label] of Object.entries(letters)) expect(parse('emodb', `08a02${letter}c.wav`)).toMatchObject({ label, gender: 'female' });
    for (const male of ['10', '11', '12', '15']) expect(parse('emodb', `${male}a01Nc.wav`)).toMatchObject({ gender: 'male' });
    for (const female of ['09', '13', '14']) expect(parse('emodb', `${female}a01Nc.wav`)).toMatchObject({ gender: 'female' });
    expect(parse('emodb', '05a01Fa.wav')).toMatch(/speaker 05 is not one of/);
    expect(parse('emodb', '03a01Xa.wav')).toMatch(/emotion letter X/);
  });
});

describe('importDataset', () => {
  it('detects RAVDESS names, lists the files that do not fit, and reads durations from the headers', async () => {
    const root = folder('ravdess', {
      'Actor_01/03-01-05-01-01-01-01.wav': 0.5,
      'Actor_01/03-01-01-01-01-01-01.wav': 0.25,
      'Actor_02/03-01-08-02-02-02-02.wav': 0.25,
      'Actor_02/03-01-09-01-01-01-02.wav': 0.25,
      'notes.wav': 0.25,
    });
    writeFileSync(join(root, 'Actor_02', '03-01-03-01-01-01-02.wav'), 'not audio at all');
    const d = await importDataset({ dir: root });
    expect(d.convention).toBe('ravdess');
    expect(d.labels).toEqual(['neutral', 'angry', 'surprised']);
    expect(summary(d)).toEqual([
      ['Actor_01/03-01-01-01-01-01-01.wav', 'neutral', '01', 'male'],
      ['Actor_01/03-01-05-01-01-01-01.wav', 'angry', '01', 'male'],
      ['Actor_02/03-01-08-02-02-02-02.wav', 'surprised', '02', 'female'],
    ]);
    expect(d.items.map((i) => i.durationSec)).toEqual([0.25, 0.5, 0.25]);
    expect(d.rejected.map((r) => [r.path.slice(root.length + 1), r.reason])).toEqual([
      ['Actor_02/03-01-03-01-01-01-02.wav', expect.stringMatching(/not a recognised audio file/)],
      ['Actor_02/03-01-09-01-01-01-02.wav', expect.stringMatching(/emotion code 09/)],
      ['notes.wav', expect.stringMatching(/does not fit/)],
    ]);
  });

  it('detects CREMA-D, TESS and EmoDB names', async () => {
    const cases: [FileNameConventionName, Record<string, number>, string[]][] = [
      ['crema-d', { '1001_DFA_ANG_XX.wav': 0.1, '1002_IEO_SAD_HI.wav': 0.1, '1002_IEO_HAP_LO.wav': 0.1 }, ['happy', 'sad', 'angry']],
      ['tess', { 'OAF_angry/OAF_back_angry.wav': 0.1, 'YAF_ps/YAF_dog_ps.wav': 0.1 }, ['angry', 'surprised']],
      ['emodb', { 'wav/03a01Fa.wav': 0.1, 'wav/16b10Lb.wav': 0.1, 'wav/09a05Wa.wav': 0.1 }, ['happy', 'angry', 'boredom']],
    ];
    for (const [name, files, labels] of cases) {
      const d = await importDataset({ dir: folder(`detect-${name}`, files) });
      expect(d.convention).toBe(name);
      expect(d.labels).toEqual(labels);
      expect(d.items).toHaveLength(Object.keys(files).length);
      expect(d.rejected).toEqual([]);
    }
  });

  it('reads one sub-folder per label: any labels, compared case-insensitively, files outside a folder rejected', async () => {
    const root = folder('folders', {
      'Laughing/a.wav': 0.1,
      'laughing/deeper/b.wav': 0.1,
      'sighing/c.wav': 0.1,
      'Sad/d.wav': 0.1,
      'stray.wav': 0.1,
    });
    const d = await importDataset({ dir: root });
    expect(d.convention).toBe('folders');
    expect(d.labels).toEqual(['sad', 'laughing', 'sighing']);
    expect(d.items.map((i) => i.label).sort()).toEqual(['laughing', 'laughing', 'sad', 'sighing']);
    expect(d.items.every((i) => i.speaker === undefined && i.gender === undefined)).toBe(true);
    expect(d.rejected).toEqual([{ path: join(root, 'stray.wav'), reason: expect.stringMatching(/not inside a label folder/) }]);
  });

  it('uses the convention it is told, rejecting every file that does not fit', async () => {
    const root = folder('told', { 'angry/03-01-05-01-01-01-01.wav': 0.1, 'angry/other.wav': 0.1 });
    const asRavdess = await importDataset({ dir: root, convention: 'ravdess' });
    expect(asRavdess.items.map((i) => i.label)).toEqual(['angry']);
    expect(asRavdess.rejected.map((r) => r.path)).toEqual([join(root, 'angry', 'other.wav')]);
    const asFolders = await importDataset({ dir: root, convention: 'folders' });
    expect(asFolders.items).toHaveLength(2);
  });

  it('refuses to guess when neither names nor folders say the labels', async () => {
    const root = folder('unlabelled', { 'a.wav': 0.1, 'b.wav': 0.1, 'c/03-01-05-01-01-01-01.wav': 0.1 });
    await expect(importDataset({ dir: root })).rejects.toThrow(DatasetError);
    await expect(importDataset({ dir: root })).rejects.toThrow(/3 files.*1 fit ravdess.*1 sub-folder/);
    await expect(importDataset({ dir: join(tmp, 'missing') })).rejects.toThrow(/not a folder/);
  });

  it('reads a CSV: header or not, relative paths, speakers and genders, bad rows listed with their line', async () => {
    const root = folder('csv', { 'clips/a.wav': 0.1, 'clips/b.wav': 0.2, 'clips/c.wav': 0.3, 'clips/unlisted.wav': 0.1 });
    const csv = join(root, 'labels.csv');
    writeFileSync(
      csv,
      [
        'label,path,gender,speaker,note',
        'Happy,clips/a.wav,F,s1,first take',
        'boredom,clips/b.wav,male,s2,',
        'sad,clips/c.wav,other,,',
        'sad,clips/a.wav,f,s1,again',
        'angry,clips/missing.wav,,,',
        ',clips/c.wav,,,',
      ].join('\n'),
    );
    const d = await importDataset({ csv });
    expect(d.convention).toBe('csv');
    expect(d.root).toBe(root);
    expect(d.labels).toEqual(['happy', 'sad', 'boredom']);
    expect(summary(d)).toEqual([
      ['clips/a.wav', 'happy', 's1', 'female'],
      ['clips/b.wav', 'boredom', 's2', 'male'],
      ['clips/c.wav', 'sad', undefined, undefined],
    ]);
    expect(d.rejected.map((r) => [r.path.slice(root.length + 1), r.reason])).toEqual([
      ['clips/a.wav', 'line 5 of labels.csv: already listed on line 2'],
      ['clips/c.wav', 'line 7 of labels.csv: needs a path and a label'],
      ['labels.csv', 'line 6 of labels.csv: names no existing file'],
    ]);

    // Without a header the columns are path,label[,speaker[,gender]]; with the folder, unlisted files are reported.
    writeFileSync(csv, `${join(root, 'clips', 'a.wav')},calm,7,M\n`);
    const positional = await importDataset({ csv, dir: join(root, 'clips') });
    expect(summary(positional)).toEqual([['a.wav', 'calm', '7', 'male']]);
    expect(positional.rejected.map((r) => r.path.slice(root.length + 1))).toEqual(['clips/b.wav', 'clips/c.wav', 'clips/unlisted.wav']);
    expect(positional.rejected[0].reason).toMatch(/not listed in/);

    await expect(importDataset({ csv: join(root, 'missing.csv') })).rejects.toThrow(DatasetError);
    writeFileSync(csv, 'path,label\n"clips/a.wav,calm\n');
    await expect(importDataset({ csv })).rejects.toThrow(/not a valid CSV/);
  });

  it.skipIf(!ravdessDir)('reads the shared RAVDESS speech set: 1,320 clips, 22 actors, 60 each, balanced genders', async () => {
    const d = await importDataset({ dir: ravdessDir as string });
    expect(d.convention).toBe('ravdess');
    expect(d.rejected).toEqual([]);
    expect(d.items).toHaveLength(1320);
    expect(d.labels).toEqual([...EMOTIONS]);
    const s = summariseDataset(d);
    expect(s.speakers.map((sp) => sp.speaker)).toEqual(Array.from({ length: 22 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(s.speakers.every((sp) => sp.clips === 60 && sp.gender === (Number(sp.speaker) % 2 ? 'male' : 'female'))).toBe(true);
    expect(s.genders).toEqual([
      { gender: 'male', clips: 660, speakers: 11 },
      { gender: 'female', clips: 660, speakers: 11 },
    ]);
    // 2 statements x 2 repetitions per actor; two intensities for every emotion but neutral.
    expect(s.labels.map((l) => l.clips)).toEqual([88, 176, 176, 176, 176, 176, 176, 176]);
    expect(s.durations?.clips).toBe(1320);
    expect(s.durations?.minSec).toBeGreaterThan(2.5);
    expect(s.durations?.maxSec).toBeLessThan(6);
    expect(s.tooFew).toEqual([]);
  });
});

describe('summariseDataset', () => {
  const dataset: Dataset = {
    root: '/d',
    convention: 'csv',
    labels: ['happy', 'sad', 'boredom'],
    items: [
      { path: '/d/1', label: 'happy', speaker: '10', gender: 'female', durationSec: 1 },
      { path: '/d/2', label: 'happy', speaker: '2', gender: 'female', durationSec: 4 },
      { path: '/d/3', label: 'sad', speaker: '2', gender: 'female', durationSec: 2 },
      { path: '/d/4', label: 'sad', speaker: '3', gender: 'male' },
      { path: '/d/5', label: 'boredom', durationSec: 3 },
      { path: '/d/6', label: 'happy', speaker: 'x', gender: 'male' },
      { path: '/d/7', label: 'happy', speaker: 'x', gender: 'female' },
    ],
    rejected: [{ path: '/d/bad', reason: 'broken' }],
  };

  it('counts clips per label, speaker (natural order) and gender, and flags small classes', () => {
    const s = summariseDataset(dataset, { minClipsPerLabel: 2 });
    expect(s.clips).toBe(7);
    expect(s.rejected).toBe(1);
    expect(s.labels.map((l) => [l.label, l.clips, l.tooFew])).toEqual([
      ['happy', 4, false],
      ['sad', 2, false],
      ['boredom', 1, true],
    ]);
    expect(s.tooFew).toEqual(['boredom']);
    expect(s.speakers).toEqual([
      { speaker: '2', gender: 'female', clips: 2 },
      { speaker: '3', gender: 'male', clips: 1 },
      { speaker: '10', gender: 'female', clips: 1 },
      { speaker: 'x', gender: 'unknown', clips: 2 },
    ]);
    expect(s.clipsWithoutSpeaker).toBe(1);
    expect(s.genders).toEqual([
      { gender: 'male', clips: 2, speakers: 1 },
      { gender: 'female', clips: 4, speakers: 2 },
      { gender: 'unknown', clips: 1, speakers: 1 },
    ]);
  });

  it('gives duration statistics over the clips whose duration is known', () => {
    const s = summariseDataset(dataset);
    expect(s.durations).toEqual({ clips: 4, totalSec: 10, minSec: 1, meanSec: 2.5, medianSec: 2.5, maxSec: 4 });
    expect(s.labels[0].durations).toEqual({ clips: 2, totalSec: 5, minSec: 1, meanSec: 2.5, medianSec: 2.5, maxSec: 4 });
    expect(s.labels[2].durations?.medianSec).toBe(3);
    expect(s.minClipsPerLabel).toBe(20);
    expect(s.tooFew).toEqual(['happy', 'sad', 'boredom']);
  });
});
