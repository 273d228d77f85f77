import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../../electron/api/transport/auth.ts';
import { startHttpServer } from '../../electron/api/transport/http-server.ts';
import { decodeFile } from '../../electron/audio/decode.ts';
import { encodePcm16Wav } from '../../electron/audio/pcm16-wav.ts';
import { DEFAULT_FEATURES } from '../../electron/audio/settings.ts';
import { importRecordings } from '../../electron/store/index.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/window-options.ts';
import { addClips, apiFixture, writeSine } from '../helpers/api-fixtures.ts';

const f = await apiFixture('ser-serve-http-');
const folder = await addClips(f, 'clips', [{ frequency: 440, seconds: 1 }]);
const [clip] = await f.call('recordings.list', {});
// Its audio as sent: the decoded signal as 16-bit WAV (see electron/api/services/recordings/media.ts), which every browser plays and seeks in.
const decoded = await decodeFile(join(folder, 'clip-000.wav'), { targetRate: DEFAULT_FEATURES.sampleRate });
const file = encodePcm16Wav(decoded.samples, decoded.sampleRate);

const rendererDir = join(f.dir, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>SER Studio</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1);');
writeFileSync(join(f.dir, 'secret.txt'), 'not for the browser');
symlinkSync(join(f.dir, 'secret.txt'), join(rendererDir, 'assets', 'linked.txt'));

const token = createToken();
const server = await startHttpServer({
  dispatch: f.dispatch,
  events: f.service.events,
  media: f.service.media,
  token,
  rendererDir,
  keepAliveMs: 50,
  maxBodyBytes: 4096,
});
afterAll(() => server.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request: the path goes out exactly as written (no URL normalisation), as an attacker would send it. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = (a: Answer) => JSON.parse(a.body.toString('utf8'));
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const call = (method: string, input: unknown, headers: Record<string, string> = bearer(token)) =>
  send(`/api/call/${method}`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });

describe('token', () => {
  it('answers 401 to API requests without the token or with a wrong one', async () => {
    const unauthorized = { ok: false, error: { code: 'unauthorized', message: expect.any(String) } };
    for (const headers of [{} as Record<string, string>, bearer('wrong'), bearer(`${token}x`), { Cookie: 'ser_token=wrong' }, { Authorization: token }]) {
      const answer = await call('library.folders', {}, headers);
      expect(answer.status).toBe(401);
      expect(json(answer)).toEqual(unauthorized);
    }
    expect((await send('/api/info')).status).toBe(401);
    expect((await send('/api/events')).status).toBe(401);
    expect((await send(`/api/recordings/${clip.id}/audio`)).status).toBe(401);
  });

  it('accepts it as a Bearer header or as the cookie', async () => {
    const viaBearer = await call('library.folders', {});
    expect(viaBearer.status).toBe(200);
    expect(json(viaBearer)).toEqual({ ok: true, result: [{ id: 1, path: folder, addedAt: expect.any(String) }] });
    const viaCookie = await call('library.folders', {}, { Cookie: `theme=dark; ser_token=${token}` });
    expect(json(viaCookie)).toEqual(json(viaBearer));
  });

  it('sets an HttpOnly, SameSite=Strict cookie from ?token= and redirects to / without it', async () => {
    const answer = await send(`/?token=${token}`);
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe('/');
    expect(answer.headers['set-cookie']).toEqual([`ser_token=${token}; HttpOnly; SameSite=Strict; Path=/`]);
    const wrong = await send('/?token=nope');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });
});

describe('API over HTTP', () => {
  it('answers errors with their status and body', async () => {
    const invalid = await call('recordings.peaks', { id: 'one', points: 10 });
    expect(invalid.status).toBe(400);
    expect(json(invalid).error.code).toBe('invalid_input');
    expect((await call('no.such', {})).status).toBe(404);
    expect((await call('recordings.get', { id: 999 })).status).toBe(404);
  });

  it('takes JSON only, within the size limit', async () => {
    const form = await send('/api/call/sessions.list', { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(400);
    expect((await call('sessions.create', { name: 'x'.repeat(5000) })).status).toBe(400);
    const broken = await send('/api/call/sessions.list', { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: '{' });
    expect(json(broken).error).toEqual({ code: 'invalid_input', message: 'the request body is not valid JSON' });
    expect((await send('/api/call/sessions.list', { headers: bearer(token) })).status).toBe(400);
  });

  it('streams events, with keep-alive comments', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: bearer(token) }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
          if (text.includes(': connected') && !text.includes('sessions.create sent')) {
            text += '(sessions.create sent)';
            void call('sessions.create', { name: 'via events' });
          }
          if (text.includes('data: ') && text.includes(': keep-alive')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(received).toContain('data: {"type":"library.changed"}\n\n');
  });
});

describe('audio', () => {
  const audio = (id: number, headers: Record<string, string> = {}) => send(`/api/recordings/${id}/audio`, { headers: { ...bearer(token), ...headers } });

  it('sends the decoded audio as WAV', async () => {
    const whole = await audio(clip.id);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('audio/wav');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.body.equals(file)).toBe(true);
  });

  it('answers byte ranges, so a player can seek', async () => {
    const part = await audio(clip.id, { Range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${file.length}`);
    expect(part.body.equals(file.subarray(100, 200))).toBe(true);
    const suffix = await audio(clip.id, { Range: 'bytes=-10' });
    expect(suffix.body.equals(file.subarray(file.length - 10))).toBe(true);
    const open = await audio(clip.id, { Range: `bytes=${file.length - 5}-` });
    expect(open.body.equals(file.subarray(file.length - 5))).toBe(true);
    const beyond = await audio(clip.id, { Range: `bytes=${file.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${file.length}`);
  });

  it('refuses files outside the library: by path, through ../, and through a link', async () => {
    const outside = join(f.dir, 'outside');
    mkdirSync(outside);
    // Recorded in the store by another route (the CLI), never added to the library.
    const stray = writeSine(join(outside, 'stray.wav'), 500, 0.5);
    const dotted = `${folder}/../outside/dotted.wav`;
    writeSine(join(outside, 'dotted.wav'), 520, 0.5);
    await importRecordings(f.db, [stray]);
    f.db.prepare("INSERT INTO recordings (path, content_hash, size_bytes, added_at) VALUES (?, 'h', 1, 't')").run(dotted);
    const linkInside = join(folder, 'link.wav');
    writeSine(join(outside, 'target.wav'), 540, 0.5);
    symlinkSync(join(outside, 'target.wav'), linkInside);
    f.db.prepare("INSERT INTO recordings (path, content_hash, size_bytes, added_at) VALUES (?, 'h2', 1, 't')").run(linkInside);
    const id = (path: string) => (f.db.prepare('SELECT id FROM recordings WHERE path = ?').get(path) as { id: number }).id;
    for (const path of [stray, dotted, linkInside]) {
      const answer = await audio(id(path));
      expect(answer.status).toBe(403);
      expect(json(answer).error.code).toBe('forbidden_path');
    }
    const peaks = await call('recordings.peaks', { id: id(linkInside), points: 16 });
    expect(peaks.status).toBe(403);
  });
});

describe('static files', () => {
  it('serves the renderer with a strict CSP and nosniff', async () => {
    const index = await send('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    const script = await send('/assets/app.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body.toString()).toBe('console.log(1);');
  });

  it('refuses every way out of the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/assets/linked.txt', '/%00', '/%zz']) {
      const answer = await send(path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.toString()).not.toContain('not for the browser');
    }
    expect((await send('/missing.js')).status).toBe(404);
    expect((await send('/', { method: 'POST' })).status).toBe(405);
  });
});

describe('network exposure', () => {
  it('listens on 127.0.0.1 only', async () => {
    const reach = (host: string) =>
      new Promise<string>((resolve) => {
        const socket = connect({ host, port: server.port });
        socket.on('connect', () => (socket.destroy(), resolve('connected')));
        socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
    expect(await reach('127.0.0.1')).toBe('connected');
    // The rest of 127.0.0.0/8 reaches the loopback interface too, but not a socket bound to 127.0.0.1 alone.
    expect(await reach('127.0.0.2')).toBe('ECONNREFUSED');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const answer = await send('/api/call/library.folders', { method: 'POST', headers: { ...bearer(token), Host: `evil.example:${server.port}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(answer.status).toBe(421);
  });
});
