import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerDataset } from '../../electron/cli/commands/dataset.ts';
import { UsageError } from '../../electron/cli/usage-error.ts';
import type { DatasetSummary, RejectedFile } from '../../electron/ml/datasets/index.ts';
import { encodeWav, sine } from '../helpers/wav-writer.ts';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ser-dataset-cli-'));
  // Actors 01 (male) and 02 (female): three angry clips and one calm, plus a file that fits no name.
  const files = ['03-01-05-01-01-01-01', '03-01-05-01-01-02-01', '03-01-05-02-01-01-02', '03-01-02-01-01-01-02', 'readme'];
  mkdirSync(join(root, 'clips'));
  for (const [i, name] of files.entries()) {
    writeFileSync(join(root, 'clips', `${name}.wav`), encodeWav({ sampleRate: 8000, format: 'pcm16', channels: [sine(200, 8000, 0.5 * (i + 1))] }));
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `ser dataset ARGS` in this process and returns what it printed. */
async function ser(...args: string[]): Promise<string> {
  const program = new Command('ser').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerDataset(program);
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(`${text}\n`));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((text: string | Uint8Array) => printed.push(String(text)) > 0);
  try {
    await program.parseAsync(['node', 'ser', 'dataset', ...args]);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  return printed.join('');
}

describe('ser dataset inspect', () => {
  it('prints clips per label, gender and speaker, durations, too-small classes and rejected files', async () => {
    const text = await ser('inspect', root, '--min-clips', '2');
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${root} (RAVDESS file names): 4 clips, 2 labels, 2 speakers; 1 file rejected`);
    expect(lines).toContain('Label  Clips  Share  Mean s  Total min');
    expect(lines).toContain('calm       1  25.0%    2.00        0.0  too few (< 2)');
    expect(lines).toContain('angry      3  75.0%    1.00        0.1');
    expect(lines).toContain('male        2  50.0%         1');
    expect(lines).toContain('02       female      2');
    expect(text).toContain('Durations (4 clips): min 0.50 s, median 1.25 s, mean 1.25 s, max 2.00 s, total 0.1 min');
    expect(text).toContain('Too few clips (< 2) to train or measure: calm');
    expect(text).toContain(`  ${join(root, 'clips', 'readme.wav')}: name does not fit: RAVDESS names are`);
  });

  it('prints the summary and every rejected file as JSON', async () => {
    const out = JSON.parse(await ser('inspect', root, '--json')) as { summary: DatasetSummary; rejected: RejectedFile[] };
    expect(out.summary.convention).toBe('ravdess');
    expect(out.summary.labels.map((l) => [l.label, l.clips])).toEqual([
      ['calm', 1],
      ['angry', 3],
    ]);
    expect(out.summary.tooFew).toEqual(['calm', 'angry']);
    expect(out.rejected).toEqual([{ path: join(root, 'clips', 'readme.wav'), reason: expect.stringMatching(/does not fit/) }]);
  });

  it('takes a convention or a CSV, and says when neither a folder nor a CSV is given', async () => {
    const folders = JSON.parse(await ser('inspect', root, '--convention', 'folders', '--json')) as { summary: DatasetSummary };
    expect(folders.summary.labels.map((l) => [l.label, l.clips])).toEqual([['clips', 5]]);
    const csv = join(root, 'labels.csv');
    writeFileSync(csv, 'path,label\nclips/readme.wav,sighing\n');
    const fromCsv = JSON.parse(await ser('inspect', '--csv', csv, '--json')) as { summary: DatasetSummary };
    expect(fromCsv.summary.labels.map((l) => [l.label, l.clips])).toEqual([['sighing', 1]]);
    await expect(ser('inspect')).rejects.toThrow(UsageError);
    await expect(ser('inspect', root, '--convention', 'nonsense')).rejects.toThrow(/nonsense/);
    await expect(ser('inspect', root, '--min-clips', '0')).rejects.toThrow(/--min-clips/);
  });
});
