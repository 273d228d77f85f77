/**
 * The "label next" loop: the stretches the active model is least sure of, one after another in the
 * recording view with its suggestion preselected (Enter accepts, a digit corrects), then, after
 * enough new labels, a fine-tune on the session that leaves the held-out labels out, and a fresh
 * ranking by the new model. How each model does on those held-out labels shows whether it helped.
 */
import type { HeldOutAccuracy, LabelQueueItem, TrainingState } from '../../../electron/api/transport/contract';
import { call } from './api';
import { plural } from './format';
import { jobs } from './jobs.svelte';
import { models } from './models.svelte';
import { navigation } from './navigation.svelte';
import { toasts } from './toasts.svelte';
import { workspace } from './workspace.svelte';

export type Measure = 'margin' | 'entropy';

/** Epochs of a fine-tune on a session: few labels over-fit a long schedule, and early stopping ends it sooner when they do. */
const FINE_TUNE_EPOCHS = 10;
/** One clip of a class to train on and one to validate (the fine-tune split gives a third of each class to validation). */
const MIN_CLIPS_PER_CLASS = 2;

class LabelQueue {
  active = $state(false);
  items = $state<LabelQueueItem[]>([]);
  index = $state(0);
  measure = $state<Measure>('margin');
  /** New labels before a fine-tune is offered. */
  target = $state(10);
  /** Labels given through the queue since it started or since the last fine-tune. */
  labelled = $state(0);
  heldOut = $state<HeldOutAccuracy | null>(null);
  /** What the loop is doing when it is not waiting for a label: "Fine-tuning…", "Classifying…". */
  busy = $state<string | null>(null);
  current = $derived<LabelQueueItem | null>(this.active ? (this.items[this.index] ?? null) : null);

  /** Ranks the library for the current session and opens the first stretch; classifies what the model has not seen first. */
  async start(): Promise<void> {
    const sessionId = workspace.sessionId;
    if (sessionId === null) throw new Error('Choose a labelling session first: the labels go into it.');
    this.active = true;
    this.labelled = 0;
    navigation.go('library');
    await this.rank();
  }

  stop(): void {
    this.active = false;
    this.items = [];
  }

  /** After a label was given at the current stretch. */
  async labelledCurrent(): Promise<void> {
    this.labelled++;
    await this.next();
  }

  /** Leaves the current stretch for later. */
  async next(): Promise<void> {
    this.index++;
    if (this.index >= this.items.length) await this.rank();
    else await this.openCurrent();
  }

  async setMeasure(measure: Measure): Promise<void> {
    this.measure = measure;
    if (this.active) await this.rank();
  }

  /** Trains a copy of the active model further on the session's labels (not the held-out ones), makes it active, reclassifies and re-ranks. */
  async fineTune(): Promise<void> {
    const sessionId = workspace.sessionId;
    const base = models.active;
    if (sessionId === null || !base) return;
    try {
      this.busy = 'Fine-tuning…';
      const dataset = await call('datasets.inspect', { source: { kind: 'session', sessionId, leaveOutHeldOut: true }, minClipsPerLabel: 1 });
      // A class needs a clip to learn from and one to watch: the new model learns the classes labelled that often so far,
      // and keeps the base's others as they were when the session's classes are among them (else it has a head of its own).
      const taught = dataset.labels.filter((l) => l.clips >= MIN_CLIPS_PER_CLASS);
      const labels = taught.map((l) => l.label);
      if (labels.length < 2) throw new Error(`Label at least ${MIN_CLIPS_PER_CLASS} stretches of each of two classes before fine-tuning (held-out labels do not count).`);
      const left = base.labels.filter((l) => !labels.includes(l));
      const keepBaseClasses = labels.every((l) => base.labels.includes(l));
      const name = `${base.name} + ${workspace.session?.name ?? 'session'}`.slice(0, 100);
      const { jobId } = await call('training.start', { datasetId: dataset.datasetId, name, baseModel: base.id, labels, keepBaseClasses, split: 'fine-tune', epochs: FINE_TUNE_EPOCHS, patience: 3 });
      const state = await jobs.track<TrainingState>(jobId, 'train');
      if (!state.modelId) throw new Error(`The fine-tune kept no model (${state.status}).`);
      await models.setActive(state.modelId);
      const without =
        left.length === 0 ? '' : keepBaseClasses ? ` It keeps ${left.join(', ')} as the base model had them.` : ` It knows only the classes labelled so far (not ${left.join(', ')}).`;
      toasts.show('success', `Fine-tuned “${name}” on ${taught.reduce((n, l) => n + l.clips, 0)} labels; it is the active model now.${without}`);
      this.labelled = 0;
      this.busy = 'Classifying with the new model…';
      const ids = (await call('recordings.list', {})).map((r) => r.id);
      if (ids.length > 0) await workspace.classify({ recordingIds: ids });
    } finally {
      this.busy = null;
    }
    await this.rank();
  }

  private async rank(): Promise<void> {
    const sessionId = workspace.sessionId;
    if (sessionId === null) return;
    let queue = await call('learning.queue', { sessionId, measure: this.measure, limit: 200 });
    if (queue.unclassified.length > 0) {
      this.busy = `Classifying ${plural(queue.unclassified.length, 'recording')} first…`;
      try {
        await workspace.classify({ recordingIds: queue.unclassified });
      } finally {
        this.busy = null;
      }
      queue = await call('learning.queue', { sessionId, measure: this.measure, limit: 200 });
    }
    this.items = queue.items;
    this.index = 0;
    this.heldOut = await call('learning.heldOut', { sessionId });
    if (this.items.length === 0) toasts.show('info', 'Nothing left to label: every stretch with speech is annotated in this session.');
    await this.openCurrent();
  }

  private async openCurrent(): Promise<void> {
    const item = this.current;
    if (item) await workspace.openAt(item.recordingId, item.startSec);
  }
}

export const labelQueue = new LabelQueue();
