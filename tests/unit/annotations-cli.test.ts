import { Command } from 'commander';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerAnnotations } from '../../electron/cli/commands/annotations.ts';
import { UsageError } from '../../electron/cli/usage-error.ts';
import { readEaf } from '../../electron/interop/eaf.ts';
import { readLabelStudio } from '../../electron/interop/labelstudio.ts';
import { listAnnotations, listPoints, listRecordings, listSessions, listTiers, openStore, sessionLabelSet } from '../../electron/store/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/store-fixtures.ts';
import { EAF, TEXTGRID_LONG } from '../helpers/interop-fixtures.ts';
import { encodeWav } from '../helpers/wav-writer.ts';

const { dir, cleanup } = tempDir('ser-annotations-cli-');
afterAll(cleanup);
afterEach(() => vi.restoreAllMocks());

/** 2.3 s of silence at 8 kHz: the TextGrid's domain, so an export writes the same xmax. */
const audio = join(dir, 'interview.wav');
writeFileSync(audio, encodeWav({ sampleRate: 8000, format: 'pcm16', channels: [new Float32Array(18_400)] }));

// The format tests' TextGrid and ELAN document, with labels of the RAVDESS set; the TextGrid
// beside its sound of the same name, as Praat keeps them.
const TEXTGRID = TEXTGRID_LONG.replace('she said ""no""', 'happy');
const ELAN = EAF.replace('angry &amp; loud', 'angry');

let n = 0;
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const freshDb = () => join(dir, `workspace-${++n}.sqlite`);

async function ser(...args: string[]): Promise<string> {
  let out = '';
  vi.spyOn(console, 'log').mockImplementation((line: string) => void (out += `${line}\n`));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void (out += `${line}\n`));
  const program = new Command('ser').exitOverride();
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerAnnotations(program);
  await program.parseAsync(['annotations', ...args], { from: 'user' });
  return out;
}

function snapshot(db: string) {
  const store = openStore(db);
  try {
    return {
      recordings: listRecordings(store).map((r) => r.path),
      sessions: listSessions(store).map((s) => ({
        name: s.name,
        labels: sessionLabelSet(store, s).labels,
        tiers: listTiers(store, s.id).map((t) => ({
          name: t.name,
          kind: t.kind,
          items:
            t.kind === 'interval'
              ? listAnnotations(store, { tierId: t.id }).map((a) => `${a.startSec}-${a.endSec} ${a.label}`)
              : listPoints(store, { tierId: t.id }).map((p) => `${p.timeSec} ${p.label}`),
        })),
      })),
    };
  } finally {
    store.close();
  }
}

describe('ser annotations import and export', () => {
  it('imports a TextGrid beside its audio as a session per tier, and exports the same file back', async () => {
    const db = freshDb();
    const grid = file('interview.TextGrid', TEXTGRID);
    expect(await ser('import', grid, '--db', db)).toBe(
      `${audio}: session "emotion", tier "emotion": 2 annotations added\n${audio}: session "bell", tier "bell": 2 points added\n`,
    );
    expect(snapshot(db)).toEqual({
      recordings: [audio],
      sessions: [
        { name: 'emotion', labels: expect.arrayContaining(['happy', 'angry']), tiers: [{ name: 'emotion', kind: 'interval', items: ['0.512-1.7345 happy', '1.7345-2.3 angry'] }] },
        { name: 'bell', labels: ['ding', 'dong'], tiers: [{ name: 'bell', kind: 'point', items: ['0.9 ding', '1.3 dong'] }] },
      ],
    });
    const out = join(dir, `out-${n}`);
    expect(await ser('export', '--db', db, '--format', 'textgrid', '--out', out)).toBe(`${join(out, 'interview.TextGrid')}: 2 tiers of ${audio}\n`);
    expect(readFileSync(join(out, 'interview.TextGrid'), 'utf8')).toBe(TEXTGRID);
    // A second import of the same file adds nothing.
    expect(await ser('import', grid, '--db', db)).toContain('tier "emotion": 0 annotations added, 2 already there');
    expect(snapshot(db).sessions[0].tiers[0].items).toHaveLength(2);
  });

  it("puts every tier into --session, finds an EAF's audio by its relative URL, and writes ELAN back with the same milliseconds", async () => {
    const db = freshDb();
    const eaf = file('interview-elan.eaf', ELAN);
    expect(await ser('import', eaf, '--db', db, '--session', 'pilot')).toBe(
      `${audio}: session "pilot", tier "emotion A": 2 annotations added\n${audio}: session "pilot", tier "empty": 0 annotations added\n`,
    );
    expect(snapshot(db).sessions).toEqual([
      {
        name: 'pilot',
        labels: expect.arrayContaining(['happy', 'angry']),
        tiers: [
          { name: 'pilot', kind: 'interval', items: [] },
          { name: 'emotion A', kind: 'interval', items: ['0.12-1.735 happy', '2.001-3.999 angry'] },
          { name: 'empty', kind: 'interval', items: [] },
        ],
      },
    ]);
    const out = join(dir, `out-${n}`);
    await ser('export', '--db', db, '--format', 'eaf', '--out', out, '--session', 'pilot');
    expect(readEaf(readFileSync(join(out, 'interview.eaf'), 'utf8'), 'x.eaf')).toEqual({
      media: `file://${audio}`,
      tiers: [{ kind: 'interval', name: 'emotion A', intervals: [{ start: 0.12, end: 1.735, label: 'happy' }, { start: 2.001, end: 3.999, label: 'angry' }] }],
    });
  });

  it("finds a Label Studio task's upload in the library, and writes Label Studio and one Audacity file per tier", async () => {
    const db = freshDb();
    await ser('import', file('interview.TextGrid', TEXTGRID), '--db', db);
    const task = [
      {
        id: 7,
        data: { audio: '/data/upload/2/4f1a2b3c-interview.wav' },
        annotations: [{ id: 1, completed_by: 1, was_cancelled: false, result: [{ id: 'x', from_name: 'emotion', to_name: 'audio', type: 'labels', value: { start: 2, end: 2.2, channel: 0, labels: ['sad'] } }] }],
      },
    ];
    expect(await ser('import', file('project-2.json', JSON.stringify(task)), '--db', db)).toBe(`${audio}: session "emotion", tier "emotion": 1 annotations added\n`);
    const ls = join(dir, `out-ls-${n}`);
    await ser('export', '--db', db, '--format', 'labelstudio', '--out', ls, '--session', 'emotion');
    expect(readLabelStudio(readFileSync(join(ls, 'interview.json'), 'utf8'), 'x.json')).toEqual([
      {
        media: audio,
        tiers: [{ kind: 'interval', name: 'emotion', intervals: [{ start: 0.512, end: 1.7345, label: 'happy' }, { start: 1.7345, end: 2.3, label: 'angry' }, { start: 2, end: 2.2, label: 'sad' }] }],
      },
    ]);
    const txt = join(dir, `out-txt-${n}`);
    await ser('export', '--db', db, '--format', 'audacity', '--out', txt);
    expect(readdirSync(txt).sort()).toEqual(['interview.bell.txt', 'interview.emotion.txt']);
    expect(readFileSync(join(txt, 'interview.bell.txt'), 'utf8')).toBe('0.900000\t0.900000\tding\n1.300000\t1.300000\tdong\n');
    await expect(ser('export', '--db', db, '--format', 'eaf', '--out', txt)).rejects.toThrow('ELAN has no point annotations (tier "bell")');
  });

  it('leaves nothing behind when any file is broken or does not fit, and says which file, tier and line', async () => {
    const db = freshDb();
    const good = file('interview.TextGrid', TEXTGRID);
    const broken = file('broken.txt', '0.5\t1.0\tsad\n1.0 2.0 calm\n');
    await expect(ser('import', good, broken, '--db', db, '--recording', audio)).rejects.toThrow(`${broken}: line 2: a label line must be`);
    expect(snapshot(db)).toEqual({ recordings: [], sessions: [] });
    // The file's labels do not fit the session's label set: the EAF imported with it is rolled back too.
    await ser('import', good, '--db', db);
    const before = snapshot(db);
    const labels = file('labels.txt', '0.5\t1.0\tding\n');
    const eaf = file('interview.eaf', ELAN);
    await expect(ser('import', eaf, labels, '--db', db, '--recording', audio, '--session', 'emotion')).rejects.toThrow(
      `${labels}: tier "labels": "ding" is not a class of label set "ravdess"`,
    );
    expect(snapshot(db)).toEqual(before);
    await expect(ser('import', file('lonely.TextGrid', TEXTGRID), '--db', db)).rejects.toThrow(
      `${join(dir, 'lonely.TextGrid')}: found neither an audio file named lonely beside it on disk nor in the library; name the audio with --recording`,
    );
    await expect(ser('import', good, '--db', db, '--recording', join(dir, 'missing.wav'))).rejects.toThrow(
      `--recording ${join(dir, 'missing.wav')}: no such file, nor a recording of that path in the library`,
    );
    await expect(ser('import', file('notes.md', ''), '--db', db)).rejects.toThrow(
      new UsageError(`${join(dir, 'notes.md')}: cannot tell the format from the extension; give --format (textgrid, audacity, eaf, labelstudio)`),
    );
  });

  it('exits 1 with the error on a broken file and 2 on a usage mistake, as the ser program', async () => {
    const db = freshDb();
    const broken = await runCli(['annotations', 'import', file('bad.TextGrid', TEXTGRID.replace('"angry"', '"angry')), '--db', db, '--recording', audio]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe(
      `error: ${join(dir, 'bad.TextGrid')}: line 38: string not closed by a double quote (the text starting on line 26 runs over several lines: is its closing quote missing?)\n`,
    );
    const usage = await runCli(['annotations', 'export', '--db', db, '--format', 'praat', '--out', dir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("option '--format <format>' argument 'praat' is invalid");
  });
});
