/**
 * Serve mode against hostile or broken clients: a foreign page's POST is refused even with the
 * token's cookie, a socket that trickles its headers is ended after REQUEST_TIMEOUT_MS, and a
 * client that drops an upload half-way costs one line of log.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../../electron/api/transport/auth.ts';
import { REQUEST_TIMEOUT_MS, startHttpServer } from '../../electron/api/transport/http-server.ts';
import { apiFixture } from '../helpers/api-fixtures.ts';

const f = await apiFixture('ser-serve-requests-');
const token = createToken();
const logged: string[] = [];
const server = await startHttpServer({ dispatch: f.dispatch, events: f.service.events, media: f.service.media, token, rendererDir: f.dir, log: (m) => logged.push(m) });
afterAll(() => server.close());
const base = `http://127.0.0.1:${server.port}`;

const post = (origin: string | undefined) =>
  fetch(`${base}/api/call/library.add`, {
    method: 'POST',
    headers: { Cookie: `ser_token=${token}`, 'Content-Type': 'application/json', ...(origin === undefined ? {} : { Origin: origin }) },
    body: JSON.stringify({ path: f.dir }),
  });

/** A raw socket: writes `text` and resolves with what the server sent and when it closed the connection. */
async function rawRequest(text: string, afterWrite: (socket: ReturnType<typeof connect>) => void = () => {}): Promise<{ answer: string; closedAfterMs: number }> {
  const socket = connect(server.port, '127.0.0.1');
  await once(socket, 'connect');
  const started = Date.now();
  let answer = '';
  socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
  socket.write(text);
  afterWrite(socket);
  await once(socket, 'close');
  return { answer, closedAfterMs: Date.now() - started };
}

describe('Origin', () => {
  it('refuses a state-changing request from another origin, even with a valid cookie', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`]) {
      const answer = await post(origin);
      expect(answer.status, origin).toBe(403);
      expect(await answer.json()).toEqual({ ok: false, error: { code: 'unauthorized', message: `requests from ${origin} are refused: use the page that \`ser serve\` printed` } });
    }
    expect(await f.call('library.folders', {})).toEqual([]);
  });

  it("takes them from the app's own page, and from clients that send no Origin (scripts with the token)", async () => {
    for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`, undefined]) {
      expect((await post(origin)).status, origin).toBe(200);
    }
    // Reading is not refused: GET carries no Origin check.
    const info = await fetch(`${base}/api/info`, { headers: { Cookie: `ser_token=${token}`, Origin: 'http://evil.example' } });
    expect(info.status).toBe(200);
  });
});

describe('slow and dropped clients', () => {
  it(`ends a socket that has not sent its headers within ${REQUEST_TIMEOUT_MS / 1000} s`, async () => {
    const { answer, closedAfterMs } = await rawRequest(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: 1`);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_500);
  });

  it('logs one line when a client drops an upload half-way', async () => {
    logged.length = 0;
    const head = [`POST /api/call/library.add HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, `Authorization: Bearer ${token}`, 'Content-Type: application/json', 'Content-Length: 1000', '', '{"path":'].join('\r\n');
    await rawRequest(head, (socket) => setTimeout(() => socket.destroy(), 200));
    await expect.poll(() => logged).toEqual(['POST /api/call/library.add: the client closed the connection before sending the whole request']);
  });
});
