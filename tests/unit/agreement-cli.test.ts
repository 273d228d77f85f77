import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerAgreement } from '../../electron/cli/commands/agreement.ts';
import { UsageError } from '../../electron/cli/usage-error.ts';
import { addAnnotation, createSession, createTier, getSessionByName, openStore, storeRecording, type StoreDb } from '../../electron/store/index.ts';
import { ANNOTATOR_A, ANNOTATOR_B, TWO_ANNOTATORS } from '../helpers/agreement-fixtures.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir, virtualRecording } from '../helpers/store-fixtures.ts';

const { dir, cleanup } = tempDir('ser-agreement-cli-');
const dbFile = join(dir, 'workspace.sqlite');
afterAll(cleanup);
afterEach(() => vi.restoreAllMocks());

function annotate(db: StoreDb, session: string, path: string, spans: readonly { startSec: number; endSec: number; label: string }[]): void {
  const sessionId = createSession(db, { name: session }).id;
  const recordingId = storeRecording(db, virtualRecording(path)).recording.id;
  for (const span of spans) addAnnotation(db, { recordingId, sessionId, ...span });
}

beforeAll(() => {
  const db = openStore(dbFile);
  annotate(db, 'anna', 'x.wav', ANNOTATOR_A);
  annotate(db, 'ben', 'x.wav', ANNOTATOR_B);
  // A third annotator who labels x.wav as anna did.
  annotate(db, 'cara', 'x.wav', ANNOTATOR_A);
  // Only anna has y.wav: with nobody to agree or disagree with, it is left out.
  const anna = getSessionByName(db, 'anna')!.id;
  const y = storeRecording(db, virtualRecording('y.wav')).recording.id;
  addAnnotation(db, { recordingId: y, sessionId: anna, startSec: 0, endSec: 2, label: 'angry' });
  // The same two annotators as tiers "a" and "b" of one session.
  const pair = createSession(db, { name: 'pair' }).id;
  const z = storeRecording(db, virtualRecording('z.wav')).recording.id;
  for (const [tier, spans] of [['a', ANNOTATOR_A], ['b', ANNOTATOR_B]] as const) {
    const tierId = createTier(db, pair, tier).id;
    for (const span of spans) addAnnotation(db, { recordingId: z, sessionId: pair, tierId, ...span });
  }
  db.close();
});

/** Runs `ser agreement ARGS` in this process; resolves with what it printed. */
async function ser(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(console, 'log').mockImplementation((line: string) => void (stdout += `${line}\n`));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void (stderr += `${line}\n`));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true));
  const program = new Command('ser').exitOverride();
  program.configureOutput({ writeErr: (text) => void (stderr += text), writeOut: () => undefined });
  registerAgreement(program);
  await program.parseAsync(['agreement', ...args], { from: 'user' });
  vi.restoreAllMocks();
  return { stdout, stderr };
}

describe('ser agreement', () => {
  it('prints the hand-worked kappa of two sessions as one JSON object (as installed: bin/ser.mjs)', async () => {
    const run = await runCli(['agreement', '--db', dbFile, '--session', 'anna', '--session', 'ben', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown> & { recordings: Record<string, unknown>[] };
    expect(out.cohen_kappa).toBeCloseTo(TWO_ANNOTATORS.cohenKappa, 12);
    expect(out.krippendorff_alpha).toBeCloseTo(TWO_ANNOTATORS.krippendorffAlpha, 12);
    expect(out.observed_agreement).toBeCloseTo(TWO_ANNOTATORS.observedAgreement, 12);
    expect(out.frames).toBe(TWO_ANNOTATORS.frames);
    expect(out.recordings.map((r) => r.path)).toEqual(['/virtual/x.wav']);
    expect(out.recordings[0].disagreements).toEqual(TWO_ANNOTATORS.disagreements.map((d) => ({ start_s: d.startSec, end_s: d.endSec, labels: d.labels })));
  });

  it("compares two tiers of one session with --tier, giving the two sessions' kappa", async () => {
    const out = JSON.parse((await ser('--db', dbFile, '--session', 'pair', '--tier', 'a', '--tier', 'b', '--json')).stdout) as Record<string, number>;
    expect(out.cohen_kappa).toBeCloseTo(TWO_ANNOTATORS.cohenKappa, 12);
    expect(out.frames).toBe(TWO_ANNOTATORS.frames);
    await expect(ser('--db', dbFile, '--session', 'pair', '--session', 'anna', '--tier', 'a', '--tier', 'b')).rejects.toThrow('--tier compares tiers of one session: give exactly one --session');
    await expect(ser('--db', dbFile, '--session', 'pair', '--tier', 'a', '--tier', 'c')).rejects.toThrow('session "pair" has no tier "c" (tiers: pair, a, b)');
  });

  it('prints Fleiss kappa and alpha for three sessions', async () => {
    // Frames 0-29 and 50-79 unanimous (P_i = 1), the 40 others split 2 to 1 (P_i = (4 + 1 - 3) / 6 = 1/3):
    // P-bar = (60 + 40/3) / 100 = 11/15. Ratings happy 130, sad 150, none 20 of 300: P-bar_e = 398/900,
    // kappa = (660 - 398) / (900 - 398) = 131/251. Alpha: sum o_cc = 60 * 3 + 40 * 1 = 220,
    // sum n_c^2 = 39,800: alpha = 1 - 299 * 80 / (90,000 - 39,800) = 657/1255.
    const out = JSON.parse((await ser('--db', dbFile, '--session', 'anna', '--session', 'ben', '--session', 'cara', '--json')).stdout) as Record<string, number>;
    expect(out.cohen_kappa).toBeUndefined();
    expect(out.fleiss_kappa).toBeCloseTo(131 / 251, 12);
    expect(out.krippendorff_alpha).toBeCloseTo(657 / 1255, 12);
    expect(out.observed_agreement).toBeCloseTo(11 / 15, 12);
    expect(out.frames).toBe(100);
  });

  it('reports the figures, each recording and the confusion as text', async () => {
    const { stdout } = await ser('--db', dbFile, '--session', 'anna', '--session', 'ben');
    expect(stdout).toBe(
      [
        'Sessions anna, ben on 10 ms frames, 1 recording compared',
        "Pooled: Cohen's kappa 0.333, Krippendorff's alpha 0.314, observed agreement 60.0%, 100 frames",
        '',
        'recording       frames  cohen_kappa  alpha  agreement  disagreements',
        '/virtual/x.wav     100  0.333        0.314  60.0%                  2',
        '',
        'anna \\ ben  happy  sad  none',
        'happy          30   20     0',
        'sad             0   30    20',
        'none            0    0     0',
        '',
      ].join('\n'),
    );
  });

  it('writes each recording, its disagreements and the pooled figures as CSV', async () => {
    const out = join(dir, 'agreement.csv');
    const { stderr } = await ser('--db', dbFile, '--session', 'anna', '--session', 'ben', '--csv', out, '--json');
    expect(stderr).toBe(`${out}: 4 rows\n`);
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      { scope: 'recording', path: '/virtual/x.wav', start_s: '0', end_s: '1', frames: '100', cohen_kappa: '0.333333', krippendorff_alpha: '0.313793', observed_agreement: '0.6', label_anna: '', label_ben: '' },
      { scope: 'disagreement', path: '/virtual/x.wav', start_s: '0.3', end_s: '0.5', frames: '20', cohen_kappa: '', krippendorff_alpha: '', observed_agreement: '', label_anna: 'happy', label_ben: 'sad' },
      { scope: 'disagreement', path: '/virtual/x.wav', start_s: '0.8', end_s: '1', frames: '20', cohen_kappa: '', krippendorff_alpha: '', observed_agreement: '', label_anna: 'sad', label_ben: 'none' },
      { scope: 'pooled', path: '', start_s: '', end_s: '', frames: '100', cohen_kappa: '0.333333', krippendorff_alpha: '0.313793', observed_agreement: '0.6', label_anna: '', label_ben: '' },
    ]);
  });

  it('compares coarser frames when asked', async () => {
    // 20 ms frames: 50 of them, the same boundaries, so the same shares and kappa.
    const out = JSON.parse((await ser('--db', dbFile, '--session', 'anna', '--session', 'ben', '--frame', '0.02', '--json')).stdout) as Record<string, number>;
    expect(out.frames).toBe(50);
    expect(out.cohen_kappa).toBeCloseTo(TWO_ANNOTATORS.cohenKappa, 12);
  });

  it('names what is wrong with the call', async () => {
    await expect(ser('--db', dbFile, '--session', 'anna')).rejects.toThrow(new UsageError('give at least two different sessions (--session A --session B)'));
    await expect(ser('--db', dbFile, '--session', 'anna', '--session', 'anna')).rejects.toThrow('give at least two different sessions');
    await expect(ser('--db', dbFile, '--session', 'anna', '--session', 'ben', '--session', 'anna')).rejects.toThrow('each --session may be given once');
    await expect(ser('--db', dbFile, '--session', 'anna', '--session', 'dan')).rejects.toThrow(`no session "dan" in ${dbFile} (sessions: anna, ben, cara, pair)`);
    await expect(ser('--db', dbFile, '--session', 'anna', '--session', 'ben', '--frame', '0')).rejects.toThrow('--frame must be a positive number of seconds');
    await expect(ser('--db', dbFile, '--session', 'anna', '--session', 'ben', '--csv', '-', '--json')).rejects.toThrow('--json and --csv - would both write');
  });
});
