import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../../electron/audio/decode.ts';
import { encodePcm16Wav } from '../../electron/audio/pcm16-wav.ts';
import { DEFAULT_FEATURES } from '../../electron/audio/settings.ts';
import { parseRange } from '../../electron/api/services/recordings/media.ts';
import { mediaProtocolResponse } from '../../electron/api/transport/media-protocol.ts';
import { mediaUrl } from '../../electron/shared/app-info.ts';
import { addClips, apiFixture, writeSine } from '../helpers/api-fixtures.ts';

const f = await apiFixture('ser-api-media-');
const folder = await addClips(f, 'clips', [{ frequency: 440, seconds: 1 }]);
const [clip] = await f.call('recordings.list', {});
// What <audio> gets: the decoded signal (at the model's feature rate) as a 16-bit WAV, whatever the file's format.
const decoded = await decodeFile(join(folder, 'clip-000.wav'), { targetRate: DEFAULT_FEATURES.sampleRate });
const bytes = encodePcm16Wav(decoded.samples, decoded.sampleRate);

describe('parseRange', () => {
  it('reads single byte ranges, open and suffix ones included, clamped to the file', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-3', 100)).toBe('unsatisfiable');
    // Multiple ranges and other units get the whole file.
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});

describe("Electron's ser-media: scheme", () => {
  const get = (url: string, headers: Record<string, string> = {}) => mediaProtocolResponse(f.service.media, new Request(url, { headers }), () => {});

  it('serves the decoded audio as 16-bit WAV, with ranges that may split a sample', async () => {
    const whole = await get(mediaUrl(clip.id));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    for (const [start, end] of [[44, 143], [3, 40_001], [45, 45], [bytes.length - 3, bytes.length - 1]]) {
      const part = await get(mediaUrl(clip.id), { Range: `bytes=${start}-${end}` });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(start, end + 1))).toBe(true);
    }
  });

  it('answers 404 for unknown recordings and other hosts, 403 outside the library', async () => {
    expect((await get(mediaUrl(9999))).status).toBe(404);
    expect((await get(`ser-media://elsewhere/${clip.id}`)).status).toBe(404);
    expect((await get(`${mediaUrl(clip.id)}/etc/passwd`)).status).toBe(404);
    const stray = writeSine(join(f.dir, 'stray.wav'), 300, 0.5);
    f.db.prepare("INSERT INTO recordings (path, content_hash, size_bytes, added_at) VALUES (?, 'h', 1, 't')").run(stray);
    const id = (f.db.prepare('SELECT id FROM recordings WHERE path = ?').get(stray) as { id: number }).id;
    const refused = await get(mediaUrl(id));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('outside the library');
  });

  it('reads a file added to the library on its own', async () => {
    const single = writeSine(join(f.dir, 'single.wav'), 300, 0.5);
    const { jobId } = await f.call('library.add', { path: single });
    expect(await f.log.end(jobId)).toMatchObject({ type: 'job.finished', result: { added: 1 } });
    const listed = (await f.call('recordings.list', {})).find((r) => r.path === single)!;
    expect((await get(mediaUrl(listed.id))).status).toBe(200);
    expect((await f.call('recordings.peaks', { id: listed.id, points: 16 })).peaks[8]).toBeCloseTo(0.5, 3);
  });
});
