/** Electron's ser-media: scheme as a fetch-style handler (protocol.handle takes exactly this), kept here so it runs without Electron. */
import { Readable } from 'node:stream';
import { errorBody, HTTP_STATUS } from './errors.ts';
import type { MediaSource } from '../services/recordings/media.ts';

/** Answers ser-media://recording/<id> with the recording's audio, Range honoured, as serve mode's audio endpoint does. */
export async function mediaProtocolResponse(media: MediaSource, request: Request, log: (message: string) => void = console.error): Promise<Response> {
  const url = new URL(request.url);
  const id = /^\/(\d+)$/.exec(url.pathname)?.[1];
  if (url.host !== 'recording' || id === undefined) return new Response('not found', { status: 404 });
  try {
    const method = request.method === 'HEAD' ? 'HEAD' : 'GET';
    const answer = await media.respond(Number(id), request.headers.get('range') ?? undefined, method);
    const body = answer.body ? (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>) : null;
    return new Response(body, { status: answer.status, headers: answer.headers });
  } catch (err) {
    const error = errorBody(err, (text) => log(`${request.url}: ${text}`));
    return new Response(error.message, { status: HTTP_STATUS[error.code], headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
}
