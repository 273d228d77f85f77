/**
 * Serve mode's HTTP transport (node:http only), on 127.0.0.1:
 * - POST /api/call/<method>  JSON input -> ApiReply (status from the error code)
 * - GET  /api/info           AppInfo
 * - GET  /api/events         server-sent events, one ApiEvent per `data:` line
 * - GET  /api/recordings/<id>/audio   the file's bytes, with Range
 * - GET  anything else       the built renderer's files
 * Every /api/ request needs the per-launch token (Bearer or cookie); opening any page with
 * ?token=TOKEN sets the cookie and redirects to /.
 */
import { once } from 'node:events';
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_SECURITY_POLICY } from '../../window-options.ts';
import { requestToken, tokenCookie, tokenMatches } from './auth.ts';
import type { ApiErrorBody, ApiReply } from './contract.ts';
import type { Dispatch } from './dispatch.ts';
import { errorBody, HTTP_STATUS } from './errors.ts';
import type { ApiEventBus } from './events.ts';
import type { MediaSource } from '../services/recordings/media.ts';
import { contentType, staticFile } from './static-files.ts';

export const HOST = '127.0.0.1';

/**
 * A client gets this long to send a request's headers, and its whole request: a socket that
 * trickles bytes (slowloris) is ended rather than held open for Node's default five minutes.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Methods that change nothing; any other must come from the app's own page (or from no page at all). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface HttpServerOptions {
  dispatch: Dispatch;
  events: ApiEventBus;
  media: MediaSource;
  token: string;
  /** The built renderer; when it is missing the API is still served and / says how to build it. */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  log?: (message: string) => void;
  /** Largest POST body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /** Comment lines on idle event streams keep proxies and browsers from dropping them (default 15 s). */
  keepAliveMs?: number;
}

export interface RunningServer {
  port: number;
  /** The address to open, with the token: http://127.0.0.1:PORT/?token=TOKEN */
  url: string;
  close(): Promise<void>;
}

/** On every response: no sniffing, no framing, no referrer, and the app's CSP. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

class HttpFailure extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(body);
}

function sendError(response: ServerResponse, error: ApiErrorBody): void {
  sendJson(response, HTTP_STATUS[error.code], { ok: false, error } satisfies ApiReply<never>);
}

function sendText(response: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(text);
}

async function readJson(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    // Also a guard against cross-site form posts: a page cannot send application/json to another origin without a CORS preflight.
    throw new HttpFailure({ code: 'invalid_input', message: 'send the input as Content-Type: application/json' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpFailure({ code: 'invalid_input', message: `request body larger than ${maxBytes} bytes` });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpFailure({ code: 'invalid_input', message: 'the request body is not valid JSON' });
  }
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const log = options.log ?? console.error;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const streams = new Set<ServerResponse>();
  let port = 0;

  function events(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    response.write(': connected\n\n');
    const unsubscribe = options.events.subscribe((event) => response.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
    streams.add(response);
    request.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(response);
    });
  }

  async function api(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (!tokenMatches(requestToken(request), options.token)) {
      return sendError(response, { code: 'unauthorized', message: 'missing or wrong token: open the URL that `ser serve` printed' });
    }
    const method = request.method ?? 'GET';
    const call = /^\/api\/call\/([\w.]+)$/.exec(path);
    if (call) {
      if (method !== 'POST') return sendError(response, { code: 'invalid_input', message: 'API calls are POST requests' });
      const reply = await options.dispatch(call[1], await readJson(request, maxBodyBytes));
      return reply.ok ? sendJson(response, 200, reply) : sendError(response, reply.error);
    }
    if (path === '/api/info' && method === 'GET') {
      const reply = await options.dispatch('app.info', {});
      return reply.ok ? sendJson(response, 200, reply.result) : sendError(response, reply.error);
    }
    if (path === '/api/events' && method === 'GET') return events(request, response);
    const audio = /^\/api\/recordings\/(\d+)\/audio$/.exec(path);
    if (audio && (method === 'GET' || method === 'HEAD')) {
      const media = await options.media.respond(Number(audio[1]), request.headers.range, method);
      response.writeHead(media.status, { ...SECURITY_HEADERS, ...media.headers });
      if (!media.body) return void response.end();
      media.body.on('error', () => response.destroy()).pipe(response);
      return;
    }
    sendError(response, { code: 'not_found', message: `no API endpoint ${method} ${path}` });
  }

  function renderer(request: IncomingMessage, response: ServerResponse, path: string): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'method not allowed');
    if (!existsSync(options.rendererDir)) {
      if (path !== '/') return sendText(response, 404, 'not found');
      return sendText(response, 503, `The app's pages are not built (${options.rendererDir} is missing): run npm run build, then reload. The API is served meanwhile.`);
    }
    const file = staticFile(options.rendererDir, path);
    if (!file) return sendText(response, 404, 'not found');
    // index.html names the hashed assets of the current build, so it must never be cached.
    const cache = file.endsWith('.html') ? 'no-store' : 'no-cache';
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentType(file), 'Cache-Control': cache });
    if (request.method === 'HEAD') return void response.end();
    createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // DNS rebinding: a page of another site that resolves its name to 127.0.0.1 still sends its own Host.
    const host = request.headers.host ?? '';
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return sendText(response, 421, 'wrong host');
    // A page of another site can make the browser send a simple POST with the token's cookie; its Origin gives it away.
    const origin = request.headers.origin;
    if (!SAFE_METHODS.has(request.method ?? 'GET') && origin !== undefined && origin !== `http://${HOST}:${port}` && origin !== `http://localhost:${port}`) {
      return sendJson(response, 403, { ok: false, error: { code: 'unauthorized', message: `requests from ${origin} are refused: use the page that \`ser serve\` printed` } } satisfies ApiReply<never>);
    }
    const url = new URL(request.url ?? '/', `http://${host}`);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return api(request, response, url.pathname);
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (!tokenMatches(offered, options.token)) return sendText(response, 401, 'wrong token: open the URL that `ser serve` printed');
      // The token leaves the address bar (and the history) at once; the cookie carries it from now on.
      response.writeHead(302, { ...SECURITY_HEADERS, 'Set-Cookie': tokenCookie(options.token), Location: '/', 'Cache-Control': 'no-store' });
      return void response.end();
    }
    renderer(request, response, url.pathname);
  }

  // Node checks the timeouts every connectionsCheckingInterval (30 s by default): check each second, so they hold to it.
  const server: Server = createServer({ headersTimeout: REQUEST_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 }, (request, response) => {
    handle(request, response).catch((err: unknown) => {
      if (!request.complete && (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
        // A client closing mid-upload is the client's business, not a server fault: one line, no stack.
        log(`${request.method} ${request.url}: the client closed the connection before sending the whole request`);
        return void response.destroy();
      }
      const error = err instanceof HttpFailure ? err.body : errorBody(err, (text) => log(`${request.method} ${request.url}: ${text}`));
      if (response.headersSent) response.destroy();
      else sendError(response, error);
    });
  });
  server.listen(options.port ?? 0, HOST);
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${HOST}:${port}/?token=${options.token}`,
    close: async () => {
      for (const stream of streams) stream.end();
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
