/**
 * A seeded fuzz of the decode front door (issue 16 item 14): valid WAV, FLAC, MP3 and Ogg files made
 * by sox, flac and ffmpeg are mutated (bit flips, truncation, header field changes, chunk and page
 * size lies, inserted garbage) and each case must end, within 5 s, in decoded audio or the typed
 * AudioDecodeError naming the file; anything else (a RangeError, a hang, NaN) is a failure.
 *
 * Time-bounded so it fits in `npm test`: SER_FUZZ_SECONDS per format (default 15, so a minute in all);
 * SER_FUZZ_SEED picks another sequence. A failure names its seed, case and mutation, and the
 * file is kept in the failures folder printed with it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioDecodeError, decodeFile } from '../../electron/audio/decode.ts';
import { createRandom, deriveSeed, type Random } from '../../electron/shared/random.ts';

const SECONDS_PER_FORMAT = Number(process.env.SER_FUZZ_SECONDS ?? 15);
const SEED = Number(process.env.SER_FUZZ_SEED ?? 16);
const CASE_LIMIT_MS = 5000;

type Format = 'wav' | 'flac' | 'mp3' | 'ogg';

/** Valid inputs per format: short, so a case costs milliseconds, and in several layouts each. */
const SOURCES: Record<Format, { name: string; make: (out: string, wav: string) => [string, string[]] }[]> = {
  wav: [
    { name: 'pcm16-mono.wav', make: (out) => ['sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', out, 'synth', '0.8', 'sine', '440']] },
    { name: 'pcm24-stereo.wav', make: (out) => ['sox', ['-n', '-r', '44100', '-c', '2', '-b', '24', out, 'synth', '0.5', 'sine', '300']] },
    { name: 'pcm8.wav', make: (out) => ['sox', ['-n', '-r', '8000', '-c', '1', '-b', '8', '-e', 'unsigned', out, 'synth', '0.8', 'sine', '200']] },
    { name: 'float32.wav', make: (out) => ['sox', ['-n', '-r', '22050', '-c', '1', '-e', 'float', '-b', '32', out, 'synth', '0.8', 'sine', '500']] },
  ],
  flac: [
    { name: 'mono.flac', make: (out, wav) => ['flac', ['--silent', '--force', '-o', out, wav]] },
    { name: 'stereo24.flac', make: (out) => ['sox', ['-n', '-r', '48000', '-c', '2', '-b', '24', out, 'synth', '0.5', 'sine', '300']] },
  ],
  mp3: [
    { name: 'cbr-xing.mp3', make: (out, wav) => ['ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, '-c:a', 'libmp3lame', '-b:a', '64k', out]] },
    { name: 'vbr-stereo.mp3', make: (out) => ['sox', ['-n', '-r', '44100', '-c', '2', '-C', '-4.2', out, 'synth', '0.8', 'sine', '300']] },
  ],
  ogg: [
    { name: 'vorbis.ogg', make: (out, wav) => ['ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, '-c:a', 'libvorbis', out]] },
    { name: 'opus.ogg', make: (out, wav) => ['ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, '-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg', out]] },
  ],
};

/** WAV fmt fields: format tag, channels, sample rate, byte rate, block align, bits per sample. */
const FMT_FIELDS = [0, 2, 4, 8, 12, 14];

/**
 * Offsets of the fields decoders trust: the RIFF size, every chunk's size and the fmt fields, Ogg
 * page headers (flags, granule, serial, sequence, CRC, segment count, first lacing value), MPEG and
 * FLAC frame headers (any 0xFFE/0xFFF sync; STREAMINFO sits at the start, fuzzed with the first 64 bytes).
 */
function fieldOffsets(bytes: Uint8Array, format: Format): number[] {
  const offsets = [4];
  if (format === 'wav') {
    for (let at = 12; at + 8 <= bytes.length; ) {
      const size = new DataView(bytes.buffer, bytes.byteOffset + at + 4, 4).getUint32(0, true);
      offsets.push(at + 4);
      if (String.fromCharCode(...bytes.subarray(at, at + 4)) === 'fmt ') offsets.push(...FMT_FIELDS.map((f) => at + 8 + f));
      at += 8 + size + (size & 1);
    }
  }
  for (let i = 0; i + 4 <= bytes.length; i++) {
    const ogg = format === 'ogg' && bytes[i] === 0x4f && bytes[i + 1] === 0x67 && bytes[i + 2] === 0x67 && bytes[i + 3] === 0x53;
    if (ogg) offsets.push(i + 5, i + 6, i + 14, i + 18, i + 22, i + 26, i + 27);
    const sync = bytes[i] === 0xff && (bytes[i + 1] & 0xe0) === 0xe0;
    if (sync && (format === 'mp3' || format === 'flac')) offsets.push(i + 1, i + 2, i + 3);
  }
  return offsets;
}

/** Values that break parsers: zero, all ones, sign bits, sizes just off, and noise. */
function hostileValue(random: Random): number {
  const values = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0];
  return random.next() < 0.5 ? values[random.int(values.length)] : random.uint32();
}

function writeUint(bytes: Uint8Array, at: number, width: 1 | 2 | 4, value: number, littleEndian: boolean): void {
  for (let k = 0; k < width && at + k < bytes.length; k++) {
    const shift = 8 * (littleEndian ? k : width - 1 - k);
    bytes[at + k] = (value >>> shift) & 0xff;
  }
}

/** One mutation of a valid file, and a description to reproduce it by. */
function mutate(valid: Uint8Array, format: Format, random: Random): { bytes: Uint8Array; what: string } {
  const bytes = Uint8Array.from(valid);
  const at = (n = bytes.length) => random.int(n);
  switch (random.int(6)) {
    case 0: {
      const flips = 1 + random.int(32);
      for (let i = 0; i < flips; i++) bytes[at()] ^= 1 << random.int(8);
      return { bytes, what: `${flips} bit flips` };
    }
    case 1: {
      const length = at();
      return { bytes: bytes.subarray(0, length), what: `truncated to ${length} bytes` };
    }
    case 2:
    case 3: {
      const fields = fieldOffsets(bytes, format);
      // Half the time anywhere in the leading headers, half the time a field found by parsing.
      const offset = random.next() < 0.5 ? at(Math.min(64, bytes.length)) : fields[random.int(fields.length)];
      const width = ([1, 2, 4] as const)[random.int(3)];
      const value = hostileValue(random);
      const littleEndian = random.next() < 0.5;
      writeUint(bytes, offset, width, value, littleEndian);
      return { bytes, what: `field at ${offset} := 0x${value.toString(16)} (${width} bytes, ${littleEndian ? 'LE' : 'BE'})` };
    }
    case 4: {
      const offset = at();
      const garbage = Uint8Array.from({ length: 1 + random.int(4096) }, () => random.int(256));
      const joined = new Uint8Array(bytes.length + garbage.length);
      joined.set(bytes.subarray(0, offset));
      joined.set(garbage, offset);
      joined.set(bytes.subarray(offset), offset + garbage.length);
      return { bytes: joined, what: `${garbage.length} garbage bytes inserted at ${offset}` };
    }
    default: {
      const from = at();
      const to = at();
      const length = 1 + random.int(2048);
      bytes.copyWithin(to, from, from + length);
      return { bytes, what: `${length} bytes copied from ${from} to ${to}` };
    }
  }
}

type Outcome = { ok: true } | { ok: false; problem: string };

/** What the contract allows: audio with finite samples, or AudioDecodeError naming the file, in time. */
async function check(path: string): Promise<Outcome> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CASE_LIMIT_MS} ms`)), CASE_LIMIT_MS);
  });
  try {
    const audio = await Promise.race([decodeFile(path), timeout]);
    const bad = audio.samples.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) return { ok: false, problem: `sample ${bad} is ${audio.samples[bad]}` };
  } catch (err) {
    if (!(err instanceof AudioDecodeError)) return { ok: false, problem: `${(err as Error).name}: ${(err as Error).message}` };
    if (err.file !== path || /[\r\n]/.test(err.message)) return { ok: false, problem: `malformed AudioDecodeError: ${err.message}` };
  } finally {
    clearTimeout(timer);
  }
  // A synchronous hang inside a wasm decoder blocks the timer too: measured after the fact.
  const elapsed = performance.now() - started;
  return elapsed > CASE_LIMIT_MS ? { ok: false, problem: `took ${Math.round(elapsed)} ms` } : { ok: true };
}

let dir: string;
let failuresDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ser-fuzz-'));
  failuresDir = join(tmpdir(), `ser-fuzz-failures-${SEED}`);
  execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', join(dir, 'base.wav'), 'synth', '0.8', 'sine', '440', 'vol', '0.5']);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('decode front door under fuzzing', () => {
  for (const format of Object.keys(SOURCES) as Format[]) {
    it(`every mutated ${format} file decodes or fails with AudioDecodeError within ${CASE_LIMIT_MS / 1000} s`, { timeout: (SECONDS_PER_FORMAT + 30) * 1000 }, async () => {
      const valid = SOURCES[format].map(({ name, make }) => {
        const out = join(dir, name);
        const [tool, args] = make(out, join(dir, 'base.wav'));
        execFileSync(tool, args, { stdio: 'pipe' });
        return { name, bytes: new Uint8Array(readFileSync(out)) };
      });
      const random = createRandom(deriveSeed(SEED, format));
      const failures: string[] = [];
      const deadline = performance.now() + SECONDS_PER_FORMAT * 1000;
      let cases = 0;
      while (performance.now() < deadline && failures.length < 10) {
        const source = valid[random.int(valid.length)];
        const { bytes, what } = mutate(source.bytes, format, random);
        const path = join(dir, `case-${cases}-${source.name}`);
        writeFileSync(path, bytes);
        const outcome = await check(path);
        if (!outcome.ok) {
          mkdirSync(failuresDir, { recursive: true });
          const kept = join(failuresDir, `case-${cases}-${source.name}`);
          writeFileSync(kept, bytes);
          failures.push(`seed ${SEED} case ${cases}: ${source.name}, ${what}: ${outcome.problem} (kept as ${kept})`);
        }
        rmSync(path);
        cases++;
      }
      // Enough cases that the budget was spent fuzzing, not starting decoders.
      expect(cases).toBeGreaterThan(20);
      expect(failures).toEqual([]);
    });
  }
});
