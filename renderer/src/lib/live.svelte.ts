/**
 * The live microphone: captures audio in the page (getUserMedia into an AudioWorklet), streams it in frames of
 * a quarter second to the main process, which classifies each 3 s window every 0.5 s and answers with the
 * windows completed so far. At most one push is in flight; frames that pile up meanwhile go in the next one.
 */
import type { LivePredictions } from '../../../electron/api/transport/contract';
import { call, errorMessage } from './api';

const FRAME_SECONDS = 0.25;
/** live.push takes at most 2 s per call. */
const MAX_PUSH_SECONDS = 2;
/** Windows kept for the band: a minute at one per 0.5 s. */
const KEEP_WINDOWS = 120;

export type LiveWindow = LivePredictions['windows'][number];

/** What a failed getUserMedia means to the user. */
export function microphoneError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'Microphone access was denied. Allow SER Studio to use the microphone (the browser’s or the system’s privacy settings), then press Start again.';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No microphone was found. Connect one and press Start again.';
  if (name === 'NotReadableError') return 'The microphone is in use by another program or could not be opened.';
  return `Could not open the microphone: ${errorMessage(error)}`;
}

/** Little-endian float32 samples as base64 (every platform the app runs on is little-endian, like Float32Array). */
function toBase64(samples: Float32Array): string {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function concat(frames: Float32Array[]): Float32Array {
  const out = new Float32Array(frames.reduce((n, f) => n + f.length, 0));
  let offset = 0;
  for (const frame of frames) {
    out.set(frame, offset);
    offset += frame.length;
  }
  return out;
}

class Live {
  status = $state<'idle' | 'starting' | 'running' | 'stopping'>('idle');
  error = $state<string | null>(null);
  labels = $state<string[]>([]);
  windows = $state.raw<LiveWindow[]>([]);
  /** RMS of the latest frame, in dBFS mapped to 0..1 over -60..0 dB. */
  level = $state(0);
  /** Seconds of audio sent so far. */
  seconds = $state(0);

  #streamId: string | null = null;
  #media: MediaStream | null = null;
  #context: AudioContext | null = null;
  #queue: Float32Array[] = [];
  #pushing: Promise<void> | null = null;
  #sampleRate = 0;

  latest = $derived(this.windows.at(-1) ?? null);

  async start(record: boolean): Promise<void> {
    if (this.status !== 'idle') return;
    this.status = 'starting';
    this.error = null;
    this.windows = [];
    this.seconds = 0;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('This page cannot use a microphone (it needs a secure context: localhost or the desktop app).');
      this.#media = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    } catch (error) {
      this.error = error instanceof DOMException ? microphoneError(error) : errorMessage(error);
      this.status = 'idle';
      return;
    }
    try {
      const context = new AudioContext();
      this.#context = context;
      this.#sampleRate = context.sampleRate;
      const started = await call('live.start', { sampleRate: context.sampleRate, record });
      this.#streamId = started.streamId;
      this.labels = started.labels;
      await context.audioWorklet.addModule(new URL('live-capture-worklet.js', document.baseURI).href);
      const capture = new AudioWorkletNode(context, 'ser-capture', { processorOptions: { frameSamples: Math.round(context.sampleRate * FRAME_SECONDS) } });
      capture.port.onmessage = (message: MessageEvent<Float32Array>) => this.#onFrame(message.data);
      // A silent path to the output keeps the graph pulling the capture node on every engine.
      const mute = new GainNode(context, { gain: 0 });
      context.createMediaStreamSource(this.#media).connect(capture).connect(mute).connect(context.destination);
      await context.resume();
      this.status = 'running';
    } catch (error) {
      this.error = errorMessage(error);
      await this.#release();
      if (this.#streamId) await call('live.stop', { streamId: this.#streamId }).catch(() => undefined);
      this.#streamId = null;
      this.status = 'idle';
    }
  }

  /** Stops capturing, sends what is left, and ends the stream; with a folder, the recording joins the library there. */
  async stop(folder?: string): Promise<number | null> {
    if (this.status !== 'running' || !this.#streamId) return null;
    this.status = 'stopping';
    const streamId = this.#streamId;
    try {
      await this.#release();
      await this.#pushing;
      await this.#flush();
      const { recordingId } = await call('live.stop', { streamId, ...(folder ? { folder } : {}) });
      return recordingId;
    } finally {
      this.#streamId = null;
      this.status = 'idle';
    }
  }

  async #release(): Promise<void> {
    for (const track of this.#media?.getTracks() ?? []) track.stop();
    this.#media = null;
    await this.#context?.close().catch(() => undefined);
    this.#context = null;
  }

  #onFrame(frame: Float32Array): void {
    let sum = 0;
    for (const x of frame) sum += x * x;
    const db = 10 * Math.log10(sum / frame.length + 1e-12);
    this.level = Math.max(0, Math.min(1, (db + 60) / 60));
    this.#queue.push(frame);
    if (!this.#pushing) this.#pushing = this.#flush().finally(() => (this.#pushing = null));
  }

  /** Sends queued frames, up to 2 s per call, until the queue is empty. */
  async #flush(): Promise<void> {
    const limit = MAX_PUSH_SECONDS * this.#sampleRate;
    while (this.#queue.length > 0 && this.#streamId) {
      const batch: Float32Array[] = [];
      let samples = 0;
      while (this.#queue.length > 0 && samples + this.#queue[0].length <= limit) {
        samples += this.#queue[0].length;
        batch.push(this.#queue.shift()!);
      }
      try {
        const result = await call('live.push', { streamId: this.#streamId, samples: toBase64(concat(batch)) });
        this.seconds += samples / this.#sampleRate;
        // Whether the answer holds only the new windows or all of them, keep each window once.
        const after = this.windows.at(-1)?.startSec ?? -Infinity;
        const fresh = result.windows.filter((w) => w.startSec > after);
        if (fresh.length > 0) this.windows = [...this.windows, ...fresh].slice(-KEEP_WINDOWS);
      } catch (error) {
        // The stream is gone (or the server): stop capturing rather than fail every quarter second.
        this.error = errorMessage(error);
        this.#queue = [];
        this.#streamId = null;
        await this.#release();
        this.status = 'idle';
      }
    }
  }
}

export const live = new Live();
