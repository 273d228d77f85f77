import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AudioDecodeError,
  decodeFile,
  decodeStream,
  probeAudio,
  type AudioErrorReason,
} from '../../electron/audio/decode.ts';
import { concat } from '../../electron/audio/resample.ts';
import { firstDifference, maxAbsDiff, rms, zeroCrossingFrequency } from '../helpers/signal.ts';
import {
  encodeSamples,
  encodeWav,
  quantise,
  sine,
  wavHeader,
  type WavSampleFormat,
  type WavSpec,
} from '../helpers/wav-writer.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ser-decode-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeFixture(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function writeWav(name: string, spec: WavSpec): string {
  return writeFixture(name, encodeWav(spec));
}

/** Samples the decoder should return for `x` written as `format`, as float32. */
function expected(x: Float32Array, format: WavSampleFormat): Float32Array {
  return Float32Array.from(x, (v) => quantise(v, format));
}

/** Full-scale extremes, zero, and a sine: exercises sign handling and clipping of every encoding. */
function testSignal(): Float32Array {
  const x = sine(440, 8000, 0.05, 0.9);
  x.set([-1, -0.5, 0, 0.25, 0.999, 1], 0);
  return x;
}

function expectSameSamples(actual: Float32Array, want: Float32Array, label = 'samples'): void {
  const at = firstDifference(actual, want);
  const found =
    at < 0 ? 'identical' : `${label} differ at ${at} of ${actual.length}/${want.length}: ${actual[at]} vs ${want[at]}`;
  expect(found).toBe('identical');
}

async function collect(stream: AsyncIterable<Float32Array>): Promise<Float32Array[]> {
  const chunks: Float32Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function expectDecodeError(
  run: Promise<unknown>,
  path: string,
  reason: AudioErrorReason,
  detail?: RegExp,
): Promise<AudioDecodeError> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected AudioDecodeError(${reason})`).toBeInstanceOf(AudioDecodeError);
  const decodeError = err as AudioDecodeError;
  expect(decodeError.reason).toBe(reason);
  expect(decodeError.file).toBe(path);
  expect(decodeError.message.startsWith(`${path}: `)).toBe(true);
  expect(decodeError.message).not.toMatch(/[\r\n]/);
  if (detail) expect(decodeError.message).toMatch(detail);
  return decodeError;
}

describe('WAV decoding', () => {
  const formats: WavSampleFormat[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];

  for (const format of formats) {
    it(`decodes ${format} samples to the values written`, async () => {
      const x = testSignal();
      const path = writeWav(`mono-${format}.wav`, { sampleRate: 8000, format, channels: [x] });
      const audio = await decodeFile(path, { targetRate: 8000 });
      expectSameSamples(audio.samples, expected(x, format));
      expect(audio.sampleRate).toBe(8000);
      expect(audio.durationSec).toBeCloseTo(x.length / 8000, 9);
      expect(audio.source).toEqual({ format: 'wav', sampleRate: 8000, channels: 1, durationSec: x.length / 8000 });
    });
  }

  it('downmixes stereo to the mean of the channels', async () => {
    const left = sine(440, 16000, 0.5, 0.6);
    const right = sine(1000, 16000, 0.5, 0.3);
    const path = writeWav('stereo.wav', { sampleRate: 16000, format: 'pcm16', channels: [left, right] });
    const { samples } = await decodeFile(path, { targetRate: 16000 });
    const l = expected(left, 'pcm16');
    const r = expected(right, 'pcm16');
    expect(samples.length).toBe(left.length);
    expect(maxAbsDiff(samples, Float32Array.from(l, (v, i) => (v + r[i]) / 2))).toBeLessThan(1e-7);
  });

  for (const format of ['pcm24', 'float32'] satisfies WavSampleFormat[]) {
    it(`reads WAVE_FORMAT_EXTENSIBLE ${format} with 6 channels`, async () => {
      const channels = [0.1, -0.2, 0.3, -0.4, 0.5, 0.05].map((amp, c) => sine(200 * (c + 1), 8000, 0.2, amp));
      const path = writeWav(`ext-${format}.wav`, { sampleRate: 8000, format, channels, extensible: true });
      expect(await probeAudio(path)).toEqual({ format: 'wav', sampleRate: 8000, channels: 6, durationSec: 0.2 });
      const { samples } = await decodeFile(path, { targetRate: 8000 });
      const quantised = channels.map((c) => expected(c, format));
      const mean = Float32Array.from(samples, (_, i) => quantised.reduce((s, c) => s + c[i], 0) / 6);
      expect(samples.length).toBe(1600);
      expect(maxAbsDiff(samples, mean)).toBeLessThan(1e-6);
    });
  }

  it('skips unknown chunks, including odd-sized ones with their pad byte', async () => {
    const x = testSignal();
    const extraChunks = [
      { id: 'LIST', body: new Uint8Array([1, 2, 3]) },
      { id: 'junk', body: new Uint8Array(5).fill(0xff) },
      { id: 'bext', body: new Uint8Array(64) },
    ];
    const path = writeWav('chunks.wav', { sampleRate: 8000, format: 'pcm16', channels: [x], extraChunks });
    expectSameSamples((await decodeFile(path, { targetRate: 8000 })).samples, expected(x, 'pcm16'));
  });

  it('finds a fmt chunk that comes after the data chunk', async () => {
    const x = testSignal();
    const wav = encodeWav({ sampleRate: 8000, format: 'pcm16', channels: [x] });
    // Canonical layout: RIFF header 0..12, fmt chunk 12..36, data chunk 36..end.
    const reordered = Buffer.concat([wav.subarray(0, 12), wav.subarray(36), wav.subarray(12, 36)]);
    const path = writeFixture('data-first.wav', reordered);
    expectSameSamples((await decodeFile(path, { targetRate: 8000 })).samples, expected(x, 'pcm16'));
  });

  it('reads RF64 files, whose sizes live in the ds64 chunk', async () => {
    const x = testSignal();
    const path = writeWav('rf64.wav', { sampleRate: 8000, format: 'pcm24', channels: [x], rf64: true });
    expectSameSamples((await decodeFile(path, { targetRate: 8000 })).samples, expected(x, 'pcm24'));
  });

  it('decodes what is there when the data chunk claims more bytes than the file holds', async () => {
    const x = testSignal();
    const data = encodeSamples([x, x], 'pcm16');
    const header = wavHeader({
      sampleRate: 8000,
      format: 'pcm16',
      channelCount: 2,
      dataBytes: data.length,
      declaredDataBytes: 0xfffffff0,
    });
    // Cut mid-frame too: the half frame at the end is dropped.
    const path = writeFixture('oversized-data.wav', Buffer.concat([header, data, new Uint8Array([1, 2])]));
    const audio = await decodeFile(path, { targetRate: 8000 });
    expectSameSamples(audio.samples, expected(x, 'pcm16'));
    expect((await probeAudio(path)).durationSec).toBeCloseTo(x.length / 8000, 9);
  });

  it('detects the format from magic bytes, not the extension', async () => {
    const x = testSignal();
    const path = writeWav('actually-a-wav.mp3', { sampleRate: 8000, format: 'pcm16', channels: [x] });
    expect((await probeAudio(path)).format).toBe('wav');
    expectSameSamples((await decodeFile(path, { targetRate: 8000 })).samples, expected(x, 'pcm16'));
  });

  it('resamples 48 kHz to 22.05 kHz by default, keeping the length and the tone', async () => {
    const x = sine(440, 48000, 3);
    const path = writeWav('sine-48k.wav', { sampleRate: 48000, format: 'float32', channels: [x, x] });
    const audio = await decodeFile(path);
    expect(audio.sampleRate).toBe(22050);
    expect(audio.samples.length).toBe(Math.round((x.length * 22050) / 48000));
    expect(audio.durationSec).toBeCloseTo(3, 9);
    expect(zeroCrossingFrequency(audio.samples, 22050)).toBeCloseTo(440, 2);
    expect(rms(audio.samples, 500, audio.samples.length - 500)).toBeCloseTo(0.5 / Math.SQRT2, 3);
  });
});

describe('streaming', () => {
  it('yields chunks of chunkSeconds that join to exactly what decodeFile returns', async () => {
    const left = sine(440, 48000, 20, 0.4);
    const right = sine(3000, 48000, 20, 0.2);
    const path = writeWav('stream-48k.wav', { sampleRate: 48000, format: 'pcm16', channels: [left, right] });
    const chunks = await collect(decodeStream(path, { chunkSeconds: 1 }));
    expect(chunks.length).toBe(20);
    for (const chunk of chunks) expect(chunk.length).toBe(22050);
    const whole = await decodeFile(path);
    expectSameSamples(concat(chunks), whole.samples);
  });

  it('streams a 10-minute file in bounded chunks with every sample intact', async () => {
    const rate = 22050;
    const minutes = 10;
    const signal = (i: number) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate) + 0.1 * Math.sin(i / 1000);
    const path = join(dir, 'ten-minutes.wav');
    const fd = openSync(path, 'w');
    const total = minutes * 60 * rate;
    writeSync(fd, wavHeader({ sampleRate: rate, format: 'pcm16', channelCount: 1, dataBytes: total * 2 }));
    for (let start = 0; start < total; start += 60 * rate) {
      const block = Float32Array.from({ length: 60 * rate }, (_, k) => signal(start + k));
      writeSync(fd, encodeSamples([block], 'pcm16'));
    }
    closeSync(fd);

    const chunkSeconds = 30;
    let received = 0;
    let chunks = 0;
    let worst = 0;
    for await (const chunk of decodeStream(path, { chunkSeconds })) {
      expect(chunk.length).toBeLessThanOrEqual(chunkSeconds * rate);
      for (let k = 0; k < chunk.length; k++) {
        worst = Math.max(worst, Math.abs(chunk[k] - quantise(Math.fround(signal(received + k)), 'pcm16')));
      }
      received += chunk.length;
      chunks++;
    }
    expect(received).toBe(total);
    expect(chunks).toBe((minutes * 60) / chunkSeconds);
    expect(worst).toBeLessThan(1e-7);
  });

  it('can be abandoned part-way and the file decoded again', async () => {
    const path = writeWav('abandon.wav', { sampleRate: 48000, format: 'pcm16', channels: [sine(440, 48000, 4)] });
    for await (const chunk of decodeStream(path, { chunkSeconds: 1 })) {
      expect(chunk.length).toBe(22050);
      break;
    }
    expect((await decodeFile(path)).samples.length).toBe(88200);
  });
});

/** FLAC/MP3/Ogg fixtures come from ffmpeg; without it these tests must fail, not skip. */
function ffmpeg(...args: string[]): void {
  try {
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'pipe' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') {
      throw new Error('ffmpeg is not on PATH: it makes the FLAC/MP3/Ogg test fixtures (apt-get install ffmpeg)');
    }
    throw new Error(`ffmpeg ${args.join(' ')} failed: ${e.stderr?.toString() ?? e.message}`);
  }
}

describe('compressed formats (fixtures made by ffmpeg)', () => {
  const seconds = 2;
  let source: string;
  const encoded: Record<string, string> = {};

  beforeAll(() => {
    source = writeWav('source.wav', {
      sampleRate: 48000,
      format: 'pcm16',
      channels: [sine(440, 48000, seconds), sine(440, 48000, seconds)],
    });
    // Odd extensions on purpose: the format must come from the bytes.
    const targets: Record<string, string[]> = {
      flac: ['-c:a', 'flac', '-f', 'flac'],
      mp3: ['-c:a', 'libmp3lame', '-b:a', '128k', '-f', 'mp3'],
      'mp3-22k-mono': ['-ac', '1', '-ar', '22050', '-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
      vorbis: ['-c:a', 'libvorbis', '-f', 'ogg'],
      opus: ['-c:a', 'libopus', '-b:a', '96k', '-f', 'ogg'],
      m4a: ['-c:a', 'aac', '-f', 'mp4'],
    };
    for (const [name, args] of Object.entries(targets)) {
      encoded[name] = join(dir, `sine-${name}.bin`);
      ffmpeg('-i', source, ...args, encoded[name]);
    }
  });

  it('decodes FLAC losslessly', async () => {
    expect(await probeAudio(encoded.flac)).toEqual({ format: 'flac', sampleRate: 48000, channels: 2, durationSec: 2 });
    const flac = await decodeFile(encoded.flac, { targetRate: 48000 });
    const wav = await decodeFile(source, { targetRate: 48000 });
    expectSameSamples(flac.samples, wav.samples);
  });

  const lossy: [string, string, number, number][] = [
    ['mp3', 'mp3', 48000, 2],
    ['mp3-22k-mono', 'mp3', 22050, 1],
    ['vorbis', 'ogg-vorbis', 48000, 2],
    ['opus', 'ogg-opus', 48000, 2],
  ];
  for (const [name, format, sampleRate, channels] of lossy) {
    it(`decodes ${name} to a 440 Hz sine of the right length`, async () => {
      const info = await probeAudio(encoded[name]);
      expect(info).toMatchObject({ format, sampleRate, channels });
      expect(info.durationSec).toBeCloseTo(seconds, 1);

      const audio = await decodeFile(encoded[name]);
      expect(audio.source).toEqual(info);
      expect(Math.abs(audio.durationSec - seconds)).toBeLessThan(0.03);
      expect(zeroCrossingFrequency(audio.samples, 22050)).toBeCloseTo(440, 0);
      const level = rms(audio.samples, 2000, audio.samples.length - 2000);
      expect(level / (0.5 / Math.SQRT2)).toBeGreaterThan(0.9);
      expect(level / (0.5 / Math.SQRT2)).toBeLessThan(1.1);
    });
  }

  it('streams compressed files to the same samples as decodeFile', async () => {
    for (const name of ['flac', 'vorbis', 'opus', 'mp3']) {
      const chunks = await collect(decodeStream(encoded[name], { chunkSeconds: 0.25 }));
      for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(0.25 * 22050);
      expectSameSamples(concat(chunks), (await decodeFile(encoded[name])).samples, name);
    }
  });

  it('rejects AAC in an M4A container as unsupported', async () => {
    await expectDecodeError(probeAudio(encoded.m4a), encoded.m4a, 'unsupported-codec', /MP4\/M4A/);
    await expectDecodeError(decodeFile(encoded.m4a), encoded.m4a, 'unsupported-codec');
  });

  it('maps a wasm decoder failure (a chained Ogg switching from Vorbis to Opus) to AudioDecodeError', async () => {
    const path = writeFixture('chained.ogg', Buffer.concat([readFileSync(encoded.vorbis), readFileSync(encoded.opus)]));
    await expectDecodeError(decodeFile(path), path, 'unsupported-codec', /ogg-vorbis decoder failed: .*opus/);
  });

  it('reports no samples for headers without audio', async () => {
    const flacHeaderOnly = writeFixture('header-only.flac', readFileSync(encoded.flac).subarray(0, 42));
    await expectDecodeError(decodeFile(flacHeaderOnly), flacHeaderOnly, 'no-samples');
    // The Opus header pages and a truncated first audio page: the partial page must not become noise.
    const opusHeaders = writeFixture('headers-only.opus', readFileSync(encoded.opus).subarray(0, 200));
    await expectDecodeError(decodeFile(opusHeaders), opusHeaders, 'no-samples');
  });

  it('reports truncated FLAC and Ogg headers', async () => {
    const flac = writeFixture('cut.flac', readFileSync(encoded.flac).subarray(0, 14));
    await expectDecodeError(probeAudio(flac), flac, 'truncated', /truncated FLAC header \(14 of 42 bytes\)/);
    const ogg = writeFixture('cut.ogg', readFileSync(encoded.vorbis).subarray(0, 20));
    await expectDecodeError(decodeFile(ogg), ogg, 'truncated', /truncated Ogg header/);
  });
});

describe('bad input', () => {
  it('empty file', async () => {
    const path = writeFixture('empty.wav', '');
    await expectDecodeError(decodeFile(path), path, 'empty', /empty/);
    await expectDecodeError(probeAudio(path), path, 'empty');
  });

  it('truncated WAV headers', async () => {
    const x = testSignal();
    const plain = encodeWav({ sampleRate: 8000, format: 'pcm16', channels: [x] });
    const riffOnly = writeFixture('riff-only.wav', plain.subarray(0, 12));
    await expectDecodeError(decodeFile(riffOnly), riffOnly, 'truncated', /truncated WAV header \(12 of 44 bytes\)/);
    const midFmt = writeFixture('mid-fmt.wav', plain.subarray(0, 30));
    await expectDecodeError(probeAudio(midFmt), midFmt, 'truncated', /\(30 of 44 bytes\)/);
    const extensible = encodeWav({ sampleRate: 8000, format: 'pcm16', channels: [x], extensible: true });
    const midExtensible = writeFixture('mid-ext.wav', extensible.subarray(0, 50));
    await expectDecodeError(decodeFile(midExtensible), midExtensible, 'truncated', /\(50 of 60 bytes\)/);
  });

  it('files that are not audio', async () => {
    const text = writeFixture('notes.wav', 'This is not audio.\nJust text.\n');
    await expectDecodeError(decodeFile(text), text, 'not-audio', /text/);
    const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    const png = writeFixture('image.mp3', new Uint8Array(pngSignature));
    await expectDecodeError(decodeFile(png), png, 'not-audio', /89 50 4e 47/);
    await expectDecodeError(probeAudio(png), png, 'not-audio');
  });

  it('a WAV whose data chunk is empty', async () => {
    const path = writeWav('no-data.wav', { sampleRate: 8000, format: 'pcm16', channels: [new Float32Array(0)] });
    await expectDecodeError(decodeFile(path), path, 'no-samples');
  });

  it('NaN or infinite samples, in any chunk and any channel', async () => {
    // Past the first 1 MiB read, so a check of only the first chunk would miss it.
    const x = sine(440, 8000, 50, 0.5);
    x[350_000] = Number.NaN;
    const nan = writeWav('nan.wav', { sampleRate: 8000, format: 'float32', channels: [x] });
    await expectDecodeError(decodeFile(nan, { targetRate: 8000 }), nan, 'non-finite', /NaN.* at 43\.750 s/);

    const right = sine(440, 8000, 0.5);
    right[100] = Number.POSITIVE_INFINITY;
    const inf = writeWav('inf.wav', { sampleRate: 8000, format: 'float64', channels: [sine(440, 8000, 0.5), right] });
    await expectDecodeError(decodeFile(inf), inf, 'non-finite', /Infinity/);
    await expectDecodeError(collect(decodeStream(inf)), inf, 'non-finite');
  });

  it('WAV encodings other than PCM and float', async () => {
    const x = testSignal();
    const adpcm = writeWav('adpcm.wav', { sampleRate: 8000, format: 'pcm16', channels: [x], formatTag: 2 });
    await expectDecodeError(probeAudio(adpcm), adpcm, 'unsupported-codec', /ADPCM/);
    await expectDecodeError(decodeFile(adpcm), adpcm, 'unsupported-codec', /ADPCM/);
    const alaw = writeWav('alaw.wav', { sampleRate: 8000, format: 'pcm8', channels: [x], formatTag: 6 });
    await expectDecodeError(decodeFile(alaw), alaw, 'unsupported-codec', /A-law/);
    const extAdpcm = writeWav('ext-adpcm.wav', {
      sampleRate: 8000,
      format: 'pcm16',
      channels: [x],
      extensible: true,
      formatTag: 2,
    });
    await expectDecodeError(decodeFile(extAdpcm), extAdpcm, 'unsupported-codec', /ADPCM/);
    const bigEndianMagic = encodeWav({ sampleRate: 8000, format: 'pcm16', channels: [x] });
    bigEndianMagic.set(Buffer.from('RIFX'));
    const rifx = writeFixture('rifx.wav', bigEndianMagic);
    await expectDecodeError(decodeFile(rifx), rifx, 'unsupported-codec', /RIFX/);
  });

  it('an Ogg stream with a codec other than Vorbis or Opus', async () => {
    // One Ogg page (CRC unchecked by the probe) carrying a Speex identification packet.
    const packet = Buffer.concat([Buffer.from('Speex   1.2'), Buffer.alloc(69)]);
    const page = Buffer.alloc(27 + 1);
    page.write('OggS', 0, 'latin1');
    page[5] = 0x02; // beginning of stream
    page.writeUInt32LE(0x1234, 14);
    page[26] = 1;
    page[27] = packet.length;
    const path = writeFixture('speex.ogg', Buffer.concat([page, packet]));
    await expectDecodeError(probeAudio(path), path, 'unsupported-codec', /Ogg stream with codec 'Speex'/);
  });

  it('missing files, directories and unreadable files', async () => {
    const missing = join(dir, 'does-not-exist.wav');
    await expectDecodeError(decodeFile(missing), missing, 'unreadable', /not found/);
    await expectDecodeError(probeAudio(missing), missing, 'unreadable');
    await expectDecodeError(collect(decodeStream(missing)), missing, 'unreadable');
    await expectDecodeError(decodeFile(dir), dir, 'unreadable', /directory/);
  });

  it.skipIf(process.getuid?.() === 0)('a file without read permission', async () => {
    const path = writeWav('locked.wav', { sampleRate: 8000, format: 'pcm16', channels: [testSignal()] });
    chmodSync(path, 0o000);
    await expectDecodeError(decodeFile(path), path, 'unreadable', /permission denied/);
  });
});
