/**
 * What `ser classify` says about damaged and too-short files (issue 16 item 13): decode warnings
 * in the text under the file and in the JSON's `warnings`, mpg123's own stderr lines only inside
 * that warning, and "too short" instead of an emotion for less than half a second of audio.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../electron/ml/backend.ts';
import { untrainedMetadata } from '../../electron/ml/metadata.ts';
import { buildModel } from '../../electron/ml/model.ts';
import { saveModel } from '../../electron/ml/model-store.ts';
import { seedKernels } from '../../electron/ml/seeded-init.ts';
import { runCli } from '../helpers/run-cli.ts';
import { encodeSamples, encodeWav, voiced, wavHeader } from '../helpers/wav-writer.ts';

interface JsonResult {
  file: string;
  outcome: string;
  warnings: string[];
  windows: { outcome: string }[];
}

const RATE = 22050;
let dir: string;
let clips: string;
let modelDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ser-classify-warnings-'));
  clips = join(dir, 'clips');
  mkdirSync(clips);
  writeFileSync(join(clips, 'sound.wav'), encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [voiced(150, RATE, 1.5)] }));
  writeFileSync(join(clips, 'ten-ms.wav'), encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [voiced(150, RATE, 0.01)] }));
  // 1.5 s of samples under a header that declares 3 s.
  const data = encodeSamples([voiced(220, RATE, 1.5)], 'pcm16');
  const header = wavHeader({ sampleRate: RATE, format: 'pcm16', channelCount: 1, dataBytes: data.length, declaredDataBytes: 2 * data.length });
  writeFileSync(join(clips, 'cut.wav'), Buffer.concat([header, data]));
  // An MP3 with text in the middle, on which mpg123 prints "mpg123-decoder: -1 MPG123_ERR".
  const source = join(dir, 'source.wav');
  writeFileSync(source, encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [voiced(330, RATE, 2)] }));
  const mp3 = join(dir, 'source.mp3');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', source, '-c:a', 'libmp3lame', '-b:a', '64k', mp3]);
  const bytes = readFileSync(mp3);
  const middle = Math.floor(bytes.length / 2);
  writeFileSync(join(clips, 'garbage.mp3'), Buffer.concat([bytes.subarray(0, middle), Buffer.from('not audio '.repeat(500)), bytes.subarray(middle)]));

  await initBackend();
  const model = buildModel();
  seedKernels(model, 11);
  modelDir = join(dir, 'model');
  await saveModel(model, modelDir, untrainedMetadata('plain'));
  model.dispose();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ser classify on damaged and short files', () => {
  it('reports decode warnings and "too short" in JSON', async () => {
    const run = await runCli(['classify', clips, '--model', modelDir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const results = new Map(
      run.stdout.trim().split('\n').map((line) => {
        const r = JSON.parse(line) as JsonResult;
        return [r.file.slice(clips.length + 1), r];
      }),
    );
    expect(results.get('sound.wav')?.warnings).toEqual([]);
    expect(results.get('sound.wav')?.outcome).not.toBe('too short');
    expect(results.get('cut.wav')?.warnings).toEqual(['truncated: 1.5 s of 3.0 s']);
    expect(results.get('garbage.mp3')?.warnings).toEqual([expect.stringMatching(/^mp3 decoder reported .*\(first: mpg123-decoder: -1 MPG123_ERR\)$/)]);
    const short = results.get('ten-ms.wav') as JsonResult;
    expect(short.outcome).toBe('too short');
    expect(short.windows.map((w) => w.outcome)).toEqual(['too short']);
    expect(run.stderr).not.toMatch(/MPG123/);
  });

  it('prints them under each file in the text output, and nothing from the decoder on stderr', async () => {
    const run = await runCli(['classify', clips, '--model', modelDir]);
    expect(run.code, run.stderr).toBe(0);
    const block = (name: string) => run.stdout.split(join(clips, name))[1].split(`\n${clips}`)[0];
    expect(block('cut.wav')).toContain('  Warning: truncated: 1.5 s of 3.0 s');
    expect(block('garbage.mp3')).toMatch(/ {2}Warning: mp3 decoder reported .*mpg123-decoder: -1 MPG123_ERR/);
    expect(block('ten-ms.wav')).toContain('  Predicted emotion: TOO SHORT (0.01 s of audio; at least 0.5 s is needed)');
    expect(block('sound.wav')).not.toContain('Warning');
    expect(run.stderr).not.toMatch(/MPG123/);
  });
});
