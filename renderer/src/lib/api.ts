/**
 * The renderer's only way to the main process: `call` for the typed methods of electron/api/transport/contract.ts,
 * `onEvent` for progress and change events, `mediaUrl` for a recording's audio. In Electron the preload's
 * `window.ser` bridge carries them over IPC; in a browser (`ser serve`) they go over HTTP to the same origin,
 * authenticated by the cookie the server set when the page was first opened with its token.
 */
import type { ApiErrorBody, ApiErrorCode, ApiEvent, ApiInput, ApiMethod, ApiOutput, ApiReply } from '../../../electron/api/transport/contract';
import type { SerBridge } from '../../../electron/api/transport/bridge';

/**
 * electron/preload.cts's bridge. `pathForFile` (Electron's webUtils.getPathForFile) is optional: without it a
 * dropped file's path is unknown and the drop zone explains how to add the folder instead.
 */
export type Bridge = SerBridge & { pathForFile?(file: File): string };

declare global {
  interface Window {
    ser?: Bridge;
  }
}

export class ApiError extends Error implements ApiErrorBody {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * What listeners hear: the main process's events, plus 'events.resumed' when the event stream came back after
 * dropping (serve mode: a sleeping laptop, a restarted proxy). Events sent meanwhile are lost, so a listener
 * re-reads what it mirrors.
 */
export type StreamEvent = ApiEvent | { type: 'events.resumed' };

interface Transport {
  kind: 'electron' | 'serve';
  call(method: ApiMethod, input: unknown): Promise<ApiReply<unknown>>;
  onEvent(listener: (event: StreamEvent) => void): () => void;
  mediaUrl(id: number): string;
}

function bridgeTransport(bridge: Bridge): Transport {
  return {
    kind: 'electron',
    call: (method, input) => bridge.call(method, input as ApiInput<typeof method>),
    onEvent: (listener) => bridge.onEvent(listener),
    mediaUrl: (id) => bridge.mediaUrl(id),
  };
}

const unreachable: ApiErrorBody = {
  code: 'unavailable',
  message: 'Cannot reach the SER Studio server. Is `ser serve` still running?',
};

async function postCall(method: ApiMethod, input: unknown): Promise<ApiReply<unknown>> {
  let response: Response;
  try {
    // Relative URLs keep the page working wherever the server mounts it; the auth cookie goes with them.
    response = await fetch(`api/call/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, error: unreachable };
  }
  const body: unknown = await response.json().catch(() => null);
  if (body !== null && typeof body === 'object' && 'ok' in body) return body as ApiReply<unknown>;
  const code: ApiErrorCode = response.status === 401 ? 'unauthorized' : 'internal';
  return { ok: false, error: { code, message: `The server answered ${response.status} ${response.statusText}` } };
}

function httpTransport(): Transport {
  const listeners = new Set<(event: StreamEvent) => void>();
  let source: EventSource | null = null;
  const deliver = (event: StreamEvent) => {
    for (const listener of listeners) listener(event);
  };
  const open = () => {
    let opened = false;
    source = new EventSource('api/events');
    // EventSource reconnects by itself after an error; every open after the first is such a comeback.
    source.onopen = () => {
      if (opened) deliver({ type: 'events.resumed' });
      opened = true;
    };
    source.onmessage = (message) => deliver(JSON.parse(message.data) as ApiEvent);
  };
  return {
    kind: 'serve',
    call: postCall,
    onEvent(listener) {
      listeners.add(listener);
      if (!source) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = null;
        }
      };
    },
    mediaUrl: (id) => `api/recordings/${id}/audio`,
  };
}

const transport: Transport = window.ser ? bridgeTransport(window.ser) : httpTransport();

/** 'electron' over IPC, 'serve' over HTTP. */
export const transportKind = transport.kind;

/** The native bridge's extras (pickers, reveal), or null in a browser. */
export const bridge: Bridge | null = window.ser ?? null;

/** Calls a method of the contract; rejects with ApiError (code and a message fit to show) when it fails. */
export async function call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const reply = await transport.call(method, input);
  if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
  return reply.result as ApiOutput<M>;
}

/** Subscribes to the main process's events; returns the unsubscribe function. */
export function onEvent(listener: (event: StreamEvent) => void): () => void {
  return transport.onEvent(listener);
}

/** A URL the page's <audio> can stream (and seek) the recording from. */
export function mediaUrl(id: number): string {
  return transport.mediaUrl(id);
}

/** The message to show for anything a call or a handler threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
