/**
 * One live microphone stream: mono frames at the renderer's rate, resampled to the model's rate,
 * cut into model windows every half second, each classified by the model's worker as soon as it
 * is complete. A recorded stream also keeps its frames (16-bit, at the input rate) and its
 * windows' predictions, to become a recording of the library when it stops.
 */
import { createResampler, type StreamResampler } from '../../../audio/resample.ts';
import { pcm16WavHeader, toPcm16 } from '../../../audio/pcm16-wav.ts';
import { windowSamples } from '../../../audio/settings.ts';
import { windowSpeechShare } from '../../../audio/vad.ts';
import type { WindowPrediction } from '../../../store/index.ts';
import type { ActiveModel } from '../models/active-model.ts';
import type { ClassifierWorker } from '../classify/classifier-worker.ts';
import type { LivePredictions } from '../../transport/contract.ts';
import { ApiError } from '../../transport/errors.ts';

export const LIVE_HOP_SEC = 0.5;
/** A recording longer than this would hold hundreds of MB in memory before it is saved. */
export const MAX_RECORDING_SEC = 30 * 60;

type LiveWindow = LivePredictions['windows'][number];

export class LiveStream {
  lastUsed = Date.now();
  /** Model-rate samples not yet behind every future window; buffer[0] is sample `offset` of the stream. */
  private buffer = new Float32Array(0);
  private offset = 0;
  private total = 0;
  private nextStart = 0;
  private readonly recorded: Int16Array[] = [];
  private recordedSamples = 0;
  private readonly predictions: WindowPrediction[] = [];
  /** Pushes run one after another, so windows come out in order whatever the caller does. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly model: ActiveModel,
    private readonly classifier: ClassifierWorker,
    private readonly resampler: StreamResampler,
    readonly record: boolean,
  ) {}

  static async open(model: ActiveModel, classifier: ClassifierWorker, inputRate: number, record: boolean): Promise<LiveStream> {
    return new LiveStream(model, classifier, await createResampler(inputRate, model.metadata.features.sampleRate), record);
  }

  get inputRate(): number {
    return this.resampler.inputRate;
  }

  /** Appends frames; resolves with the windows they completed, classified. */
  push(samples: Float32Array): Promise<LiveWindow[]> {
    this.lastUsed = Date.now();
    if (this.record && this.recordedSamples + samples.length > MAX_RECORDING_SEC * this.inputRate) {
      throw new ApiError('conflict', `the recording reached its ${MAX_RECORDING_SEC / 60}-minute limit: stop it to save what was recorded`);
    }
    if (this.record) {
      this.recorded.push(Int16Array.from(samples, toPcm16));
      this.recordedSamples += samples.length;
    }
    return this.enqueue(() => this.classify(this.resampler.push(samples)));
  }

  /** Flushes the resampler and classifies the windows its tail completes; the stream takes no more frames. */
  finish(): Promise<LiveWindow[]> {
    return this.enqueue(() => this.classify(this.resampler.end()));
  }

  /** The whole stream as a 16-bit WAV file at the input rate. */
  wav(): Buffer {
    const data = this.recorded.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    return Buffer.concat([pcm16WavHeader(this.inputRate, this.recordedSamples), ...data]);
  }

  /** Every window classified so far, as the store keeps predictions (recorded streams only). */
  windowPredictions(): readonly WindowPrediction[] {
    return this.predictions;
  }

  dispose(): void {
    this.resampler.dispose();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => {});
    return next;
  }

  private async classify(resampled: Float32Array): Promise<LiveWindow[]> {
    const { features, labels } = this.model.metadata;
    const rate = features.sampleRate;
    const size = windowSamples(features);
    const hop = Math.round(LIVE_HOP_SEC * rate);
    const joined = new Float32Array(this.buffer.length + resampled.length);
    joined.set(this.buffer);
    joined.set(resampled, this.buffer.length);
    this.buffer = joined;
    this.total += resampled.length;
    const starts: number[] = [];
    for (; this.nextStart + size <= this.total; this.nextStart += hop) starts.push(this.nextStart);
    const windows = starts.map((start) => this.buffer.slice(start - this.offset, start - this.offset + size));
    if (this.nextStart > this.offset) {
      this.buffer = this.buffer.slice(Math.min(this.buffer.length, this.nextStart - this.offset));
      this.offset = Math.min(this.nextStart, this.total);
    }
    const probabilities = await this.classifier.predict(windows);
    return starts.map((start, i) => {
      const window = { startSec: start / rate, endSec: (start + size) / rate, probabilities: Array.from(probabilities[i]), speech: windowSpeechShare(windows[i], rate) };
      if (this.record) {
        this.predictions.push({
          start: window.startSec,
          end: window.endSec,
          probabilities: Object.fromEntries(labels.map((l, k) => [l, window.probabilities[k]])),
          speech: window.speech,
        });
      }
      return window;
    });
  }
}
