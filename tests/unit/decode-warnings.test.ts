/**
 * Damaged files that still hold audio (issue 16 item 13): the front door decodes what is there and
 * says what is missing in `warnings`, instead of passing a cut or corrupt file off as a sound one.
 * Fixtures are made here: WAV by the test writer, FLAC/MP3/Ogg by ffmpeg, then damaged.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeFile } from '../../electron/audio/decode.ts';
import { encodeSamples, encodeWav, sine, wavHeader } from '../helpers/wav-writer.ts';

const RATE = 16000;
const SECONDS = 3.6;
let dir: string;
let source: string;
const encoded: Record<string, Buffer> = {};

const write = (name: string, bytes: Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ser-decode-warnings-'));
  source = write('source.wav', encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [sine(440, RATE, SECONDS, 0.3)] }));
  const targets: Record<string, string[]> = {
    flac: ['-c:a', 'flac', '-f', 'flac'],
    // ffmpeg writes the Xing/Info frame that gives an MP3 its duration.
    mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
    ogg: ['-c:a', 'libvorbis', '-f', 'ogg'],
    opus: ['-c:a', 'libopus', '-f', 'ogg'],
  };
  for (const [name, args] of Object.entries(targets)) {
    const out = join(dir, `sine.${name}`);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', source, ...args, out]);
    encoded[name] = readFileSync(out);
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('decoding damaged files with warnings', () => {
  it('gives sound files no warnings', async () => {
    for (const path of [source, ...Object.keys(encoded).map((name) => join(dir, `sine.${name}`))]) {
      expect((await decodeFile(path)).warnings, path).toEqual([]);
    }
  });

  it('a WAV whose header claims more data than the file holds: the third that is there, truncated: 1.2 s of 3.6 s', async () => {
    const whole = readFileSync(source);
    const header = 44;
    const path = write('cut.wav', whole.subarray(0, header + ((whole.length - header) / 3)));
    const audio = await decodeFile(path, { targetRate: RATE });
    expect(audio.samples.length).toBe((RATE * SECONDS) / 3);
    expect(audio.warnings).toEqual(['truncated: 1.2 s of 3.6 s']);
  });

  it('a WAV with data size 0xFFFFFFFF (a streamed recording): all of it, and a warning', async () => {
    const bytes = new Uint8Array(readFileSync(source));
    new DataView(bytes.buffer).setUint32(40, 0xffffffff, true);
    const audio = await decodeFile(write('unset-size.wav', bytes), { targetRate: RATE });
    expect(audio.samples.length).toBe(RATE * SECONDS);
    expect(audio.warnings).toEqual(['WAV data size not set (0xFFFFFFFF): read to the end of the file, 3.6 s']);
  });

  it('7-bit and 12-bit PCM in 8- and 16-bit containers decode exactly, without a warning', async () => {
    for (const [format, bits, step] of [['pcm8', 7, 2 / 256], ['pcm16', 12, 16 / 32768]] as const) {
      // Values on the coarser grid, MSB-aligned as the container holds them.
      const x = Float32Array.from(sine(300, 8000, 0.2, 0.9), (v) => Math.round(v / step) * step + 0); // + 0: -0 becomes 0, as decoded
      const data = encodeSamples([x], format);
      const header = wavHeader({ sampleRate: 8000, format, channelCount: 1, dataBytes: data.length });
      new DataView(header.buffer).setUint16(34, bits, true);
      const audio = await decodeFile(write(`pcm${bits}.wav`, Buffer.concat([header, data])), { targetRate: 8000 });
      expect(audio.warnings).toEqual([]);
      expect(Array.from(audio.samples)).toEqual(Array.from(x));
    }
  });

  it('truncated FLAC and MP3: what is there, truncated against the header duration', async () => {
    for (const name of ['flac', 'mp3']) {
      const bytes = encoded[name];
      const audio = await decodeFile(write(`cut.${name}`, bytes.subarray(0, Math.floor(bytes.length / 2))));
      expect(audio.durationSec, name).toBeGreaterThan(1);
      expect(audio.durationSec, name).toBeLessThan(2.6);
      expect(audio.warnings, name).toContain(`truncated: ${audio.durationSec.toFixed(1)} s of 3.6 s`);
    }
  });

  it("an MP3 with garbage in the middle: mpg123's stderr line becomes the file's warning, not output", async () => {
    const bytes = encoded.mp3;
    const middle = Math.floor(bytes.length / 2);
    const garbage = Buffer.from('not audio at all '.repeat(300));
    const path = write('garbage.mp3', Buffer.concat([bytes.subarray(0, middle), garbage, bytes.subarray(middle)]));
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const audio = await decodeFile(path);
      expect(audio.durationSec).toBeGreaterThan(3.5);
      expect(audio.warnings).toHaveLength(1);
      expect(audio.warnings[0]).toMatch(/^mp3 decoder reported (an error|\d+ errors) \(first: mpg123-decoder: -1 MPG123_ERR\)$/);
      expect(printed).not.toHaveBeenCalled();
      // Anyone else's console.error still gets through once the decode is over.
      console.error('after');
      expect(printed).toHaveBeenCalledWith('after');
    } finally {
      printed.mockRestore();
    }
  });

  it('a cut Ogg (Vorbis or Opus): the pages there, and a warning, as its duration comes from the last page present', async () => {
    for (const name of ['ogg', 'opus']) {
      const bytes = encoded[name];
      const audio = await decodeFile(write(`cut.${name}`, bytes.subarray(0, Math.floor((bytes.length * 2) / 3))));
      // Whole pages only: a Vorbis page here holds about a second.
      expect(audio.durationSec, name).toBeGreaterThan(0.5);
      expect(audio.durationSec, name).toBeLessThan(3.2);
      expect(audio.warnings, name).toEqual([`truncated: the Ogg stream has no end-of-stream page: ${audio.source.durationSec?.toFixed(1)} s read`]);
    }
  });

  it('an Ogg with a bad page: the pages around it, truncated against the last granule', async () => {
    const bytes = Buffer.from(encoded.ogg);
    // Break the capture pattern of a page in the middle: the parser skips to the next page.
    const page = bytes.indexOf('OggS', Math.floor(bytes.length / 2));
    bytes.write('XggS', page);
    const audio = await decodeFile(write('bad-page.ogg', bytes));
    expect(audio.durationSec).toBeGreaterThan(1);
    expect(audio.durationSec).toBeLessThan(3.5);
    expect(audio.warnings).toContain(`truncated: ${audio.durationSec.toFixed(1)} s of 3.6 s`);
  });
});
