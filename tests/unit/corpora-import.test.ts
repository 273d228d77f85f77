/**
 * nEMO's naming and metadata (speaker_emotion_sentence names, data.tsv with padded speaker ids),
 * the corpus name every clip carries, and a data set that is a union of corpora, on generated
 * folders; and the shared nEMO corpus where it is present.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { registerDataset } from '../../electron/cli/commands/dataset.ts';
import { dataSources } from '../../electron/cli/data-sources.ts';
import { DatasetError, importCorpora, importDataset, summariseDataset, type Dataset } from '../../electron/ml/datasets/index.ts';
import { sharedDir, skipMessage } from '../helpers/shared.ts';
import { encodeWav, sine } from '../helpers/wav-writer.ts';

const nemoDir = sharedDir('data', 'nemo');
if (!nemoDir) console.warn(skipMessage('nEMO import', 'data', 'nemo'));

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ser-corpora-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function clips(root: string, names: readonly string[]): string {
  for (const name of names) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, encodeWav({ sampleRate: 8000, format: 'pcm16', channels: [sine(300, 8000, 0.1)] }));
  }
  return root;
}

const TSV_HEADER = 'file_id\temotion\traw_text\tnormalized_text\tspeaker_id\tgender\tage';

/** A release-shaped nEMO folder: samples/ and a data.tsv naming .wav files, speaker ids padded as released. */
function nemoFolder(name: string, withTable = true): string {
  const root = join(tmp, name);
  clips(join(root, 'samples'), ['KS0_anger_1.wav', 'EB0_happiness_2.wav', 'ZZ0_fear_3.wav', 'QQ0_sadness_4.wav', 'KS0_boredom_5.wav', 'notes.wav']);
  if (withTable) {
    const rows = [
      'KS0_anger_1.wav\tanger\tJest "dobrze".\tjest dobrze\t        KS0\tmale\t23',
      'EB0_happiness_2.wav\thappiness\tTak.\ttak\t        EB0\tfemale\t27',
      // A speaker only the table knows: its gender can come from nowhere else.
      'ZZ0_fear_3.wav\tfear\tNie.\tnie\t        ZZ0\tfemale\t30',
    ];
    writeFileSync(join(root, 'data.tsv'), `${[TSV_HEADER, ...rows].join('\n')}\n`);
  }
  return root;
}

const rows = (d: Dataset) => d.items.map((i) => [i.path.slice(d.root.length + 1), i.label, i.speaker, i.gender, i.corpus]);

describe('nEMO import', () => {
  it('detects nEMO names, maps its emotions onto ours, and takes speaker and gender from data.tsv (ids trimmed)', async () => {
    const root = nemoFolder('nemo');
    for (const dir of [root, join(root, 'samples')]) {
      const d = await importDataset({ dir });
      expect(d.convention).toBe('nemo');
      const prefix = dir === root ? 'samples/' : '';
      expect(rows(d)).toEqual([
        [`${prefix}EB0_happiness_2.wav`, 'happy', 'EB0', 'female', 'nemo'],
        [`${prefix}KS0_anger_1.wav`, 'angry', 'KS0', 'male', 'nemo'],
        // Not in the table: the speaker from the name, no gender (an actor the README does not list).
        [`${prefix}QQ0_sadness_4.wav`, 'sad', 'QQ0', undefined, 'nemo'],
        [`${prefix}ZZ0_fear_3.wav`, 'fearful', 'ZZ0', 'female', 'nemo'],
      ]);
      expect(d.rejected.map((r) => [r.path.slice(d.root.length + 1), r.reason])).toEqual([
        [`${prefix}KS0_boredom_5.wav`, expect.stringMatching(/nEMO emotion boredom is not one of anger, fear, happiness, neutral, sadness, surprised/)],
        [`${prefix}notes.wav`, expect.stringMatching(/does not fit/)],
      ]);
    }
  });

  it('without data.tsv, reads speakers from the names and genders of the nine listed actors', async () => {
    const d = await importDataset({ dir: nemoFolder('nemo-bare', false) });
    expect(rows(d).map(([, label, speaker, gender]) => [label, speaker, gender])).toEqual([
      ['happy', 'EB0', 'female'],
      ['angry', 'KS0', 'male'],
      ['sad', 'QQ0', undefined],
      ['fearful', 'ZZ0', undefined],
    ]);
  });

  it.skipIf(!nemoDir)('reads the shared nEMO corpus: 4,481 clips, 9 speakers (5 male, 4 female), the README’s counts per emotion', async () => {
    const d = await importDataset({ dir: nemoDir as string });
    expect(d.convention).toBe('nemo');
    expect(d.rejected).toEqual([]);
    const s = summariseDataset(d);
    expect(s.clips).toBe(4481);
    expect(Object.fromEntries(s.labels.map((l) => [l.label, l.clips]))).toEqual({ neutral: 809, happy: 749, sad: 769, angry: 749, fearful: 736, surprised: 669 });
    expect(s.speakers.map((sp) => `${sp.speaker} ${sp.gender}`).sort()).toEqual(
      ['EB0 female', 'IC0 female', 'KD0 female', 'KS0 male', 'MK0 female', 'MP0 male', 'SM0 male', 'TP0 male', 'WR0 male'],
    );
    expect(s.genders.map((g) => [g.gender, g.speakers])).toEqual([['male', 5], ['female', 4]]);
    expect(d.items.every((i) => i.corpus === 'nemo')).toBe(true);
  }, 120_000);
});

describe('a union of corpora', () => {
  it('keeps each clip’s corpus, names speakers per corpus, and lists each corpus’s classes', async () => {
    const ravdess = clips(join(tmp, 'ravdess'), ['Actor_01/03-01-02-01-01-01-01.wav', 'Actor_01/03-01-05-01-01-01-01.wav']);
    // A user's own folder of one sub-folder per label, whose speaker "01" is someone else.
    const own = join(tmp, 'my-recordings');
    clips(own, ['calm/a.wav', 'sad/b.wav']);
    const csv = join(own, 'labels.csv');
    writeFileSync(csv, 'path,label,speaker,gender\ncalm/a.wav,calm,01,female\nsad/b.wav,sad,01,female\n');
    const d = await importCorpora([{ dir: ravdess }, { dir: join(tmp, 'nemo') }, { csv }]);
    expect(d.convention).toBe('corpora');
    expect(d.labels).toEqual(['calm', 'happy', 'sad', 'angry', 'fearful']);
    const speakers = summariseDataset(d).speakers.map((s) => s.speaker);
    expect(speakers).toEqual(expect.arrayContaining(['ravdess:01', 'my-recordings:01', 'nemo:KS0']));
    expect(new Set(d.items.map((i) => i.corpus))).toEqual(new Set(['ravdess', 'nemo', 'my-recordings']));
    expect(summariseDataset(d).corpora).toEqual([
      { corpus: 'ravdess', clips: 2, labels: ['calm', 'angry'], speakers: 1 },
      { corpus: 'nemo', clips: 4, labels: ['happy', 'sad', 'angry', 'fearful'], speakers: 4 },
      { corpus: 'my-recordings', clips: 2, labels: ['calm', 'sad'], speakers: 1 },
    ]);
    // The files each import rejected stay listed.
    expect(d.rejected).toHaveLength(2);
  });

  it('returns one source as its own import, speaker ids untouched', async () => {
    const one = await importCorpora([{ dir: join(tmp, 'ravdess') }]);
    expect(one.convention).toBe('ravdess');
    expect(one.items.map((i) => i.speaker)).toEqual(['01', '01']);
  });

  it('refuses two folders that would be one corpus, naming both', async () => {
    const again = clips(join(tmp, 'elsewhere', 'ravdess-copy'), ['Actor_02/03-01-03-01-01-01-02.wav']);
    await expect(importCorpora([{ dir: join(tmp, 'ravdess') }, { dir: again }])).rejects.toThrow(DatasetError);
    await expect(importCorpora([{ dir: join(tmp, 'ravdess') }, { dir: again }])).rejects.toThrow(/ravdess and .*ravdess-copy are both corpus "ravdess"/);
    const renamed = await importCorpora([{ dir: join(tmp, 'ravdess') }, { dir: again, corpus: 'ravdess-extra' }]);
    expect(renamed.items.map((i) => i.speaker).sort()).toEqual(['ravdess-extra:02', 'ravdess:01', 'ravdess:01']);
  });
});

describe('ser dataset inspect --data, repeated', () => {
  it('summarises the union with a row per corpus and its classes, and refuses --convention for several folders', async () => {
    const program = () => {
      const p = new Command('ser').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
      registerDataset(p);
      return p;
    };
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((text: string | Uint8Array) => printed.push(String(text)) > 0);
    try {
      await program().parseAsync(['node', 'ser', 'dataset', 'inspect', '--data', join(tmp, 'ravdess'), '--data', join(tmp, 'nemo'), '--json']);
    } finally {
      write.mockRestore();
    }
    const { summary } = JSON.parse(printed.join('')) as { summary: ReturnType<typeof summariseDataset> };
    expect(summary.convention).toBe('corpora');
    expect(summary.clips).toBe(6);
    expect(summary.corpora?.map((c) => [c.corpus, c.labels])).toEqual([
      ['ravdess', ['calm', 'angry']],
      ['nemo', ['happy', 'sad', 'angry', 'fearful']],
    ]);
    await expect(program().parseAsync(['node', 'ser', 'dataset', 'inspect', '--data', join(tmp, 'ravdess'), '--data', join(tmp, 'nemo'), '--convention', 'nemo'])).rejects.toThrow(
      /with several corpora, each folder's is detected/,
    );
  });
});

describe('data sources from the command line', () => {
  it('keeps one folder with one CSV one source (the CSV labels the folder), and makes each of more a corpus', () => {
    expect(dataSources(['/r'], ['/l.csv'], 'ravdess', '--csv')).toEqual({ dir: '/r', csv: '/l.csv', convention: 'ravdess' });
    expect(dataSources([], ['/a.csv', '/b.csv'], undefined, '--csv')).toEqual([{ csv: '/a.csv' }, { csv: '/b.csv' }]);
    expect(dataSources(['/r', '/n'], ['/l.csv'], undefined, '--csv')).toEqual([{ dir: '/r' }, { dir: '/n' }, { csv: '/l.csv' }]);
    expect(() => dataSources([], [], undefined, '--labels-csv')).toThrow(/give a data set: --data DIR or --labels-csv FILE/);
  });
});
