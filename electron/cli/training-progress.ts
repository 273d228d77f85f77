import type { TrainingEvent } from '../ml/train.ts';
import { ProgressBar } from './progress.ts';

/** "1h02m", "3m05s", "12s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** In a log, a long epoch reports every tenth of its batches, so a slow run still shows it is alive. */
const LOGGED_BATCH_STEPS = 10;

/**
 * Training progress on stderr: notes and one line per epoch always; on a terminal a live line per
 * batch and a feature progress bar, in a log a line at every tenth of a long epoch.
 */
export class TrainingProgress {
  private bar: ProgressBar | null = null;
  private live = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  event(event: TrainingEvent): void {
    switch (event.type) {
      case 'note':
        this.line(event.message);
        break;
      case 'features':
        this.bar ??= new ProgressBar(event.total, this.stream);
        this.bar.update(event.done, 'features');
        if (event.done === event.total) {
          this.bar.clear();
          this.bar = null;
        }
        break;
      case 'batch': {
        const text = `epoch ${event.epoch}/${event.epochs} batch ${event.batch}/${event.batches}  loss ${event.loss.toFixed(4)} acc ${event.accuracy.toFixed(3)}  ETA <= ${formatDuration(event.etaSec)}`;
        if (this.stream.isTTY) {
          this.stream.write(`\r${text}  `);
          this.live = true;
        } else if (event.batches >= 2 * LOGGED_BATCH_STEPS && event.batch < event.batches && event.batch % Math.ceil(event.batches / LOGGED_BATCH_STEPS) === 0) {
          this.line(text);
        }
        break;
      }
      case 'epoch':
        this.line(
          `epoch ${event.epoch}/${event.epochs}  loss ${event.loss.toFixed(4)} acc ${event.accuracy.toFixed(3)}  ` +
            `val_loss ${event.valLoss.toFixed(4)} val_acc ${event.valAccuracy.toFixed(3)}  ${formatDuration(event.seconds)}` +
            `${event.improved ? '  best' : `  (best: epoch ${event.bestEpoch})`}  ETA <= ${formatDuration(event.etaSec)}`,
        );
        break;
    }
  }

  /** A line of its own, clearing a live batch line first. */
  line(text: string): void {
    if (this.live) this.stream.write(`\r${' '.repeat(Math.max(0, (this.stream.columns ?? 80) - 1))}\r`);
    this.live = false;
    this.stream.write(`${text}\n`);
  }
}
