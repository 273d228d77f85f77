/**
 * Long files (issue 14 item 2): `ser classify` end to end on a generated 48 kHz stereo 16-bit WAV
 * with the default windows, in a process of its own so that its peak RSS is the CLI's alone.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeSamples, wavHeader } from '../tests/helpers/wav-writer.ts';

export interface LongFileBench {
  minutes: number;
  /** Seconds of audio per second of wall time, start-up and model load included. */
  rtf: number;
  wall_s: number;
  peak_rss_mb: number;
  windows: number;
}

const SAMPLE_RATE = 48000;
const SER = resolve(import.meta.dirname, '..', 'bin', 'ser.mjs');
/** Printed by the child as it exits: resourceUsage covers the whole process, the backend's worker threads too. */
const PEAK_RSS_HOOK =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("peak-rss-kb "+process.resourceUsage().maxRSS+"\\n"))';

/**
 * Writes `minutes` of 48 kHz 16-bit audio to path by repeating `block` (one array per channel), a block at
 * a time, so the bench itself never holds the file; returns how many blocks it wrote.
 */
export function writeLongWav(path: string, minutes: number, block: readonly Float32Array[]): number {
  const bytes = encodeSamples(block, 'pcm16');
  const repeats = Math.ceil((minutes * 60 * SAMPLE_RATE) / block[0].length);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, wavHeader({ sampleRate: SAMPLE_RATE, format: 'pcm16', channelCount: block.length, dataBytes: repeats * bytes.length }));
    for (let i = 0; i < repeats; i++) writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return repeats;
}

/**
 * Writes `minutes` of audio to dir by repeating `block` (one array per channel) and classifies it.
 * The file is written a block at a time, so the bench itself never holds it.
 */
export function benchLongFile(dir: string, minutes: number, block: readonly Float32Array[]): LongFileBench {
  const path = join(dir, `long-${minutes}min.wav`);
  const repeats = writeLongWav(path, minutes, block);
  try {
    const t0 = performance.now();
    const run = spawnSync(process.execPath, ['--import', PEAK_RSS_HOOK, SER, 'classify', '--json', path], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const wall_s = (performance.now() - t0) / 1000;
    if (run.status !== 0) throw new Error(`ser classify failed on ${minutes} min: ${run.stderr.trim()}`);
    const rss = /peak-rss-kb (\d+)/.exec(run.stderr);
    if (!rss) throw new Error('ser classify did not report its peak RSS');
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { windows?: unknown[] });
    const windows = lines.find((line) => line.windows)?.windows;
    if (!windows) throw new Error('ser classify printed no windows');
    const audioSeconds = (repeats * block[0].length) / SAMPLE_RATE;
    return { minutes, rtf: audioSeconds / wall_s, wall_s, peak_rss_mb: Number(rss[1]) / 1024, windows: windows.length };
  } finally {
    rmSync(path, { force: true });
  }
}
