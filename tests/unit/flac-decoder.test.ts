/**
 * Our FLAC decoder against the reference one: every fixture is made by sox and encoded by flac
 * (or ffmpeg), and its integers must equal `flac -d`'s raw output exactly, sample for sample.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc16, crc8 } from '../../electron/audio/flac/crc.ts';
import { FlacStreamDecoder, type FlacBlock } from '../../electron/audio/flac/stream-decoder.ts';
import { decodeFile, AudioDecodeError } from '../../electron/audio/decode.ts';
import { sharedDir, skipMessage } from '../helpers/shared.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ser-flac-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function tool(name: string, args: string[]): void {
  try {
    execFileSync(name, args, { stdio: 'pipe' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error(`${name} is not on PATH: it makes the FLAC test fixtures (apt-get install sox flac ffmpeg)`);
    throw new Error(`${name} ${args.join(' ')} failed: ${e.stderr?.toString() ?? e.message}`);
  }
}

/** The reference decode: interleaved little-endian signed integers, one per sample per channel. */
function referenceSamples(flacPath: string, bitsPerSample: number): number[] {
  const raw = join(dir, 'reference.raw');
  tool('flac', ['-s', '-f', '-d', '--force-raw-format', '--endian=little', '--sign=signed', '-o', raw, flacPath]);
  const bytes = readFileSync(raw);
  const width = Math.ceil(bitsPerSample / 8);
  const out: number[] = [];
  for (let i = 0; i + width <= bytes.length; i += width) out.push(bytes.readIntLE(i, width));
  return out;
}

function decodeOurs(bytes: Uint8Array, chunkBytes: number): { decoder: FlacStreamDecoder; interleaved: number[]; frames: number } {
  const decoder = new FlacStreamDecoder();
  const blocks: FlacBlock[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) blocks.push(...decoder.push(bytes.subarray(offset, offset + chunkBytes)));
  blocks.push(...decoder.end());
  const interleaved: number[] = [];
  for (const { channels } of blocks) {
    for (let i = 0; i < channels[0].length; i++) for (const channel of channels) interleaved.push(channel[i]);
  }
  return { decoder, interleaved, frames: blocks.length };
}

function expectBitExact(flacPath: string, expectedFrames: number, chunkBytes = 64 * 1024): void {
  const ours = decodeOurs(readFileSync(flacPath), chunkBytes);
  expect(ours.decoder.error).toBeUndefined();
  const info = ours.decoder.streamInfo!;
  const reference = referenceSamples(flacPath, info.bitsPerSample);
  expect(ours.interleaved.length).toBe(expectedFrames * info.channels);
  expect(reference.length).toBe(expectedFrames * info.channels);
  const first = ours.interleaved.findIndex((value, i) => value !== reference[i]);
  expect(first, `first differing sample index in ${flacPath}`).toBe(-1);
}

interface Source {
  name: string;
  rate: number;
  channels: number;
  bits: number;
  frames: number;
  /** sox effect arguments after `synth Ns`. */
  synth: string[];
}

function makeWav(source: Source): string {
  const wav = join(dir, `${source.name}.wav`);
  // -r before -n: the synth runs at the output rate, so `Ns` is N output samples.
  tool('sox', ['-r', String(source.rate), '-c', String(source.channels), '-n', '-b', String(source.bits), wav, 'synth', `${source.frames}s`, ...source.synth]);
  return wav;
}

function encode(wav: string, name: string, flacArgs: string[]): string {
  const out = join(dir, `${name}.flac`);
  tool('flac', ['-s', '-f', ...flacArgs, '-o', out, wav]);
  return out;
}

const SOURCES: Source[] = [
  { name: 'mono16-tone', rate: 22050, channels: 1, bits: 16, frames: 85345, synth: ['sine', '300', 'vol', '0.5'] },
  { name: 'stereo16-tones', rate: 44100, channels: 2, bits: 16, frames: 30001, synth: ['sine', '300', 'sine', '440', 'vol', '0.7'] },
  { name: 'stereo16-same', rate: 48000, channels: 2, bits: 16, frames: 20000, synth: ['pinknoise', 'vol', '0.3'] },
  { name: 'mono8-noise', rate: 16000, channels: 1, bits: 8, frames: 12345, synth: ['whitenoise'] },
  { name: 'stereo8-tone', rate: 8000, channels: 2, bits: 8, frames: 9999, synth: ['sine', '200', 'square', '90'] },
  { name: 'mono24-tone', rate: 96000, channels: 1, bits: 24, frames: 40000, synth: ['sine', '1000', 'vol', '0.9'] },
  { name: 'stereo24-noise', rate: 48000, channels: 2, bits: 24, frames: 20011, synth: ['whitenoise', 'brownnoise'] },
  { name: 'mono16-silence', rate: 22050, channels: 1, bits: 16, frames: 10000, synth: ['sine', '300', 'vol', '0'] },
  { name: 'mono16-whitenoise', rate: 22050, channels: 1, bits: 16, frames: 9000, synth: ['whitenoise'] },
];

const PRESETS: [string, string[]][] = [
  ...Array.from({ length: 9 }, (_, level): [string, string[]] => [`-${level}`, [`-${level}`]]),
  ['blocksize 4096', ['--blocksize=4096']],
  ['blocksize 192', ['--blocksize=192']],
  ['blocksize 1152 mid-side', ['-b', '1152', '-m']],
  ['lax order 32 precision 15 blocksize 4608', ['--lax', '-8', '-l', '32', '-q', '15', '-b', '4608']],
  ['lax blocksize 16 partition order 0', ['--lax', '-b', '16', '-r', '0']],
  ['lax exhaustive rice partitions to order 8', ['--lax', '-8', '-e', '-p', '-r', '0,8', '-b', '8192']],
];

describe('FLAC decoder, bit-exact against flac -d', () => {
  for (const source of SOURCES) {
    it(`${source.name} (${source.channels} ch, ${source.bits}-bit, ${source.frames} samples) in every preset`, () => {
      const wav = makeWav(source);
      for (const [label, args] of PRESETS) {
        if (source.rate > 48000 && args.includes('-b') && Number(args[args.indexOf('-b') + 1]) < 192) continue;
        const flacPath = encode(wav, `${source.name}-${label.replace(/\W+/g, '_')}`, args);
        expectBitExact(flacPath, source.frames);
      }
    }, 120_000);
  }

  it('decodes the same when fed in small chunks that cut frames and metadata', () => {
    const flacPath = encode(makeWav(SOURCES[1]), 'chunked', ['-5']);
    for (const chunk of [1, 7, 1001, 4096]) expectBitExact(flacPath, SOURCES[1].frames, chunk);
  }, 120_000);

  it('decodes wasted bits (8-bit content in a 16-bit stream)', () => {
    const eight = makeWav({ ...SOURCES[0], name: 'eight', bits: 8, frames: 20000 });
    const sixteen = join(dir, 'wasted.wav');
    tool('sox', [eight, '-b', '16', sixteen]);
    for (const [label, args] of PRESETS.slice(0, 9)) expectBitExact(encode(sixteen, `wasted${label}`, args), 20000);
  }, 120_000);

  it('decodes what ffmpeg encodes (other predictor and partition choices)', () => {
    for (const source of [SOURCES[1], SOURCES[5], SOURCES[6]]) {
      const wav = makeWav(source);
      for (const level of ['0', '8', '12']) {
        const out = join(dir, `${source.name}-ffmpeg${level}.flac`);
        const sampleFmt = source.bits === 24 ? ['-sample_fmt', 's32'] : [];
        tool('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, ...sampleFmt, '-c:a', 'flac', '-compression_level', level, out]);
        expectBitExact(out, source.frames);
      }
    }
  }, 120_000);

  const ravdess = sharedDir('data', 'ravdess', 'Actor_01');
  it.skipIf(!ravdess)(ravdess ? 'decodes the RAVDESS clip 03-01-05-01-01-01-01 whole, partial last frame included' : skipMessage('RAVDESS FLAC clip', 'data', 'ravdess'), () => {
    expectBitExact(join(ravdess!, '03-01-05-01-01-01-01.flac'), 85345);
  });
});

/** MSB-first bit packing, to write frames the reference encoder never makes. */
class BitWriter {
  private readonly bits: number[] = [];
  write(value: number, n: number): this {
    for (let i = n - 1; i >= 0; i--) this.bits.push(Math.floor(value / 2 ** i) & 1);
    return this;
  }
  signed(value: number, n: number): this {
    return this.write(value < 0 ? value + 2 ** n : value, n);
  }
  rice(value: number, param: number): this {
    const folded = value >= 0 ? value * 2 : -value * 2 - 1;
    for (let i = 0; i < Math.floor(folded / 2 ** param); i++) this.bits.push(0);
    return this.write(1, 1).write(folded % 2 ** param, param);
  }
  bytes(): number[] {
    while (this.bits.length % 8) this.bits.push(0);
    const out: number[] = [];
    for (let i = 0; i < this.bits.length; i += 8) out.push(Number.parseInt(this.bits.slice(i, i + 8).join(''), 2));
    return out;
  }
}

/** A 16-sample, 16-bit mono frame: FIXED order 0, two residual partitions written by `partitions`. */
function handMadeFrame(frameNumber: number, partitions: (w: BitWriter) => void): number[] {
  // Sync + fixed blocking, block size code 6 (8-bit size follows), rate from STREAMINFO, mono, 16-bit.
  const header = new BitWriter().write(0xfff8, 16).write(6, 4).write(0, 4).write(0, 4).write(4, 3).write(0, 1);
  const headerBytes = [...header.write(frameNumber, 8).write(15, 8).bytes()];
  headerBytes.push(crc8(new Uint8Array(headerBytes), 0, headerBytes.length));
  const body = new BitWriter().write(0, 1).write(8, 6).write(0, 1).write(0, 2).write(1, 4);
  partitions(body);
  const frame = [...headerBytes, ...body.bytes()];
  const crc = crc16(new Uint8Array(frame), 0, frame.length);
  return [...frame, crc >> 8, crc & 0xff];
}

describe('FLAC decoder, residual escape codes (hand-made frames, checked by flac -d)', () => {
  it('decodes escaped partitions of 7, 0 and 16 raw bits beside Rice ones', () => {
    const rice = [0, -1, 1, 5, -6, 12, -20, 3];
    const raw7 = [63, -64, 0, -1, 17, -33, 2, 40];
    const raw16 = [32767, -32768, 1000, -1000, 0, 1, -2, 12345];
    const streamInfo = new BitWriter()
      .write(16, 16).write(16, 16).write(0, 24).write(0, 24)
      .write(8000, 20).write(0, 3).write(15, 5).write(0, 4).write(32, 32)
      .write(0, 32).write(0, 32).write(0, 32).write(0, 32)
      .bytes();
    const file = [
      ...[0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34],
      ...streamInfo,
      ...handMadeFrame(0, (w) => {
        w.write(2, 4);
        for (const v of rice) w.rice(v, 2);
        w.write(15, 4).write(7, 5);
        for (const v of raw7) w.signed(v, 7);
      }),
      ...handMadeFrame(1, (w) => {
        w.write(15, 4).write(0, 5);
        w.write(15, 4).write(16, 5);
        for (const v of raw16) w.signed(v, 16);
      }),
    ];
    const path = join(dir, 'escaped.flac');
    writeFileSync(path, new Uint8Array(file));
    const expected = [...rice, ...raw7, ...new Array<number>(8).fill(0), ...raw16];
    expect(referenceSamples(path, 16)).toEqual(expected);
    const ours = decodeOurs(new Uint8Array(file), file.length);
    expect(ours.decoder.error).toBeUndefined();
    expect(ours.interleaved).toEqual(expected);
  });
});

describe('FLAC decoder on damaged streams, and through the decode front door', () => {
  function damagedTone(): { bytes: Uint8Array; frames: number } {
    const flacPath = encode(makeWav(SOURCES[0]), 'to-damage', ['--blocksize=4096']);
    return { bytes: new Uint8Array(readFileSync(flacPath)), frames: SOURCES[0].frames };
  }

  it('stops at a frame whose CRC fails, keeping the frames before it', () => {
    const { bytes } = damagedTone();
    const whole = decodeOurs(bytes, bytes.length).interleaved.length;
    const bad = bytes.slice();
    bad[Math.floor(bad.length / 2)] ^= 0x10;
    const ours = decodeOurs(bad, 4096);
    expect(ours.decoder.error?.message).toMatch(/CRC|sync|reserved|partition|exceeds|wastes/);
    expect(ours.interleaved.length).toBeGreaterThan(0);
    expect(ours.interleaved.length).toBeLessThan(whole);
    expect(ours.interleaved.length % 4096).toBe(0);
  });

  // flac -d reports lost sync on such a tag; it is metadata, not a damaged stream, so no warning here.
  it('ignores an ID3v1 tag after the last frame, but not other trailing bytes', () => {
    const { bytes, frames } = damagedTone();
    const tag = new Uint8Array(128);
    tag.set([0x54, 0x41, 0x47, 0x41]);
    const tagged = new Uint8Array([...bytes, ...tag]);
    for (const chunk of [1, 100, 65536]) {
      const ours = decodeOurs(tagged, chunk);
      expect(ours.decoder.error).toBeUndefined();
      expect(ours.interleaved).toHaveLength(frames);
    }
    const junk = decodeOurs(new Uint8Array([...bytes, ...new Uint8Array(16).fill(0x55)]), 65536);
    expect(junk.decoder.error?.message).toMatch(/sync/);
    expect(junk.interleaved).toHaveLength(frames);
  });

  it('reports a stream cut inside a frame instead of guessing the rest', () => {
    const { bytes } = damagedTone();
    const ours = decodeOurs(bytes.subarray(0, bytes.length - 100), 65536);
    expect(ours.decoder.error?.message).toMatch(/ends inside a frame/);
    expect(ours.interleaved.length).toBe(81920);
  });

  it('the decode front door returns every sample, the partial last frame included, equal to the WAV', async () => {
    const wav = makeWav(SOURCES[0]);
    const flacPath = encode(wav, 'front-door', ['--blocksize=4096']);
    const [fromFlac, fromWav] = await Promise.all([decodeFile(flacPath, { targetRate: 22050 }), decodeFile(wav, { targetRate: 22050 })]);
    expect(fromFlac.samples.length).toBe(85345);
    expect(fromFlac.warnings).toEqual([]);
    expect(fromFlac.samples).toEqual(fromWav.samples);
  });

  it('the decode front door warns about a damaged frame and keeps the audio before it', async () => {
    const { bytes, frames } = damagedTone();
    const bad = bytes.slice();
    bad[Math.floor(bad.length / 2)] ^= 0x10;
    const path = join(dir, 'damaged.flac');
    writeFileSync(path, bad);
    const decoded = await decodeFile(path, { targetRate: 22050 });
    expect(decoded.samples.length).toBeGreaterThan(0);
    expect(decoded.samples.length).toBeLessThan(frames);
    expect(decoded.warnings.join('\n')).toMatch(/flac/);
  });

  it('the decode front door rejects a stream whose first frame is damaged', async () => {
    const { bytes } = damagedTone();
    const bad = bytes.slice();
    // Into the first frame, past fLaC, STREAMINFO and the other metadata blocks flac writes.
    const firstFrame = bad.findIndex((b, i) => b === 0xff && (bad[i + 1] & 0xfe) === 0xf8 && i > 42);
    bad[firstFrame + 20] ^= 0xff;
    const path = join(dir, 'damaged-first.flac');
    writeFileSync(path, bad);
    await expect(decodeFile(path)).rejects.toBeInstanceOf(AudioDecodeError);
  });
});
