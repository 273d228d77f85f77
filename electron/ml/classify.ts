import type { LayersModel } from '@tensorflow/tfjs';
import { decodeStream } from '../audio/decode.ts';
import { LogMelExtractor } from '../audio/mel.ts';
import { toModelInput } from '../audio/model-input.ts';
import { windowSpeechShare } from '../audio/vad.ts';
import { lacksSpeech, NO_SPEECH, windowsForMean } from '../shared/outcomes.ts';
import { slidingWindows } from '../audio/windows.ts';
import { applyTemperature, outcomeOf } from './calibration.ts';
import { argMax } from './fit.ts';
import { predictBatch } from './infer.ts';
import type { ModelMetadata } from './metadata.ts';

export type Probabilities = Record<string, number>;

export interface WindowResult {
  start: number;
  end: number;
  probabilities: Probabilities;
  /** Share of the window's 10 ms frames that hold speech (audio/vad.ts). */
  speech: number;
  /** The top label, "uncertain" below the classifier's minConfidence, or "no speech" for a window without enough speech. */
  outcome: string;
}

export interface FileResult {
  file: string;
  label: string;
  confidence: number;
  /** The label, "uncertain" when the confidence is below the classifier's minConfidence, or "no speech" when no window has speech. */
  outcome: string;
  /** Mean of the window probabilities over the windows with speech (over all of them when none has). */
  probabilities: Probabilities;
  windows: WindowResult[];
  /** What decoding found wrong but could read around ("truncated: 1.2 s of 3.6 s"); empty for a sound file. */
  warnings: string[];
}

/** The outcome for a recording too short to hold speech: the model, fed mostly padding, still answers confidently. */
export const TOO_SHORT = 'too short';
/** Less audio than this (about two syllables) is answered TOO_SHORT rather than with an emotion. */
export const MIN_SPEECH_SECONDS = 0.5;

export interface FileFailure {
  file: string;
  error: string;
}

export interface ClassifyOptions {
  /** Seconds between window starts; defaults to half a window. */
  hopSeconds?: number;
  batchSize?: number;
  signal?: AbortSignal;
}

export interface ClassifierOptions {
  /** Top probabilities below this are "uncertain"; default the model's calibrated threshold, null for none. */
  minConfidence?: number | null;
}

/** Windows of several files share a batch, so a folder of short clips runs at batch speed. */
interface PendingFile {
  file: string;
  windows: { start: number; end: number; speech: number; probabilities?: Float32Array }[];
  predicted: number;
  decoded: boolean;
  warnings: string[];
  error?: string;
}

export class Classifier {
  private readonly extractor: LogMelExtractor;
  readonly minConfidence: number | null;

  constructor(
    readonly model: LayersModel,
    readonly metadata: ModelMetadata,
    options: ClassifierOptions = {},
  ) {
    this.extractor = new LogMelExtractor(metadata.features);
    this.minConfidence = options.minConfidence === undefined ? (metadata.calibration?.minConfidence ?? null) : options.minConfidence;
  }

  /** The model's probabilities for model inputs, with its calibration's temperature applied. */
  predict(inputs: readonly Float32Array[], batchSize?: number): Float32Array[] {
    const temperature = this.metadata.calibration?.temperature ?? 1;
    return predictBatch(this.model, inputs, batchSize).map((p) => applyTemperature(p, temperature));
  }

  /** A window's result from its (calibrated) probabilities, in the model's label order, and its share of speech. */
  windowResult(start: number, end: number, probabilities: ArrayLike<number>, speech: number): WindowResult {
    const top = argMax(probabilities);
    const outcome = lacksSpeech(speech) ? NO_SPEECH : outcomeOf(this.labels[top], probabilities[top], this.minConfidence);
    return { start, end, probabilities: this.named(probabilities), speech, outcome };
  }

  /** Share of speech in a window's samples (at the model's sample rate). */
  speechShare(samples: Float32Array): number {
    return windowSpeechShare(samples, this.metadata.features.sampleRate);
  }

  get labels(): readonly string[] {
    return this.metadata.labels;
  }

  /**
   * Classifies files in order, calling onResult once per file in the same order. A file that
   * cannot be decoded gives a FileFailure and the batch goes on.
   */
  async classifyFiles(
    files: readonly string[],
    onResult: (result: FileResult | FileFailure, index: number) => void,
    options: ClassifyOptions = {},
  ): Promise<void> {
    const { features } = this.metadata;
    const hopSeconds = options.hopSeconds ?? features.windowSeconds / 2;
    const batchSize = options.batchSize ?? 32;
    const queue: PendingFile[] = [];
    let emitted = 0;
    let batch: { owner: PendingFile; index: number; input: Float32Array }[] = [];

    const emitReady = () => {
      while (queue.length > 0) {
        const head = queue[0];
        const finished = head.error !== undefined || (head.decoded && head.predicted === head.windows.length);
        if (!finished) return;
        queue.shift();
        onResult(head.error !== undefined ? { file: head.file, error: head.error } : this.summarise(head), emitted++);
      }
    };
    const flush = () => {
      if (batch.length === 0) return;
      const probabilities = this.predict(batch.map((b) => b.input), batchSize);
      batch.forEach((b, i) => {
        b.owner.windows[b.index].probabilities = probabilities[i];
        b.owner.predicted++;
      });
      batch = [];
      emitReady();
    };

    for (const file of files) {
      options.signal?.throwIfAborted();
      const pending: PendingFile = { file, windows: [], predicted: 0, decoded: false, warnings: [] };
      queue.push(pending);
      try {
        const chunks = decodeStream(file, { targetRate: features.sampleRate, onWarning: (w) => pending.warnings.push(w) });
        for await (const window of slidingWindows(chunks, features, hopSeconds)) {
          options.signal?.throwIfAborted();
          const input = toModelInput(this.extractor.compute(window.samples), features.normalisation);
          pending.windows.push({ start: window.start, end: window.end, speech: this.speechShare(window.samples) });
          batch.push({ owner: pending, index: pending.windows.length - 1, input });
          if (batch.length >= batchSize) flush();
        }
        pending.decoded = true;
        if (pending.windows.length === 0) pending.error = `${file}: no audio samples`;
      } catch (err) {
        if (options.signal?.aborted) throw err;
        pending.error = err instanceof Error ? err.message : String(err);
        batch = batch.filter((b) => b.owner !== pending);
      }
      emitReady();
    }
    flush();
  }

  private summarise(file: PendingFile): FileResult {
    const n = this.labels.length;
    const mean = new Float64Array(n);
    const { counted, noSpeech } = windowsForMean(file.windows, (w) => w.speech);
    for (const w of counted) for (let k = 0; k < n; k++) mean[k] += (w.probabilities as Float32Array)[k] / counted.length;
    const top = argMax(mean);
    return this.tooShortChecked({
      file: file.file,
      label: this.labels[top],
      confidence: mean[top],
      outcome: noSpeech ? NO_SPEECH : outcomeOf(this.labels[top], mean[top], this.minConfidence),
      probabilities: this.named(mean),
      windows: file.windows.map((w) => this.windowResult(w.start, w.end, w.probabilities as Float32Array, w.speech)),
      warnings: file.warnings,
    });
  }

  /** Less than MIN_SPEECH_SECONDS of audio is answered TOO_SHORT, whatever the model made of it. */
  private tooShortChecked(result: FileResult): FileResult {
    // Windows run in order, so the last one ends where the audio does.
    if (result.windows[result.windows.length - 1].end >= MIN_SPEECH_SECONDS) return result;
    return { ...result, outcome: TOO_SHORT, windows: result.windows.map((w) => ({ ...w, outcome: TOO_SHORT })) };
  }

  private named(values: ArrayLike<number>): Probabilities {
    return Object.fromEntries(this.labels.map((label, k) => [label, values[k]]));
  }
}
