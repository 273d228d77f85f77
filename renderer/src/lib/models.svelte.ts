/**
 * The models the app knows (bundled and user-trained or imported) and which one is active, kept fresh by
 * 'models.changed' events. The Train, Evaluate and Models views and the status bar read it.
 */
import type { ModelEntry } from '../../../electron/api/transport/contract';
import { call, onEvent } from './api';
import { toasts } from './toasts.svelte';

class Models {
  list = $state<ModelEntry[]>([]);
  loaded = $state(false);
  active = $derived(this.list.find((m) => m.active) ?? null);

  async start(): Promise<void> {
    onEvent((event) => {
      if (event.type === 'models.changed' || event.type === 'events.resumed') this.refresh().catch((error) => toasts.error(error));
    });
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.list = await call('models.list', {});
    this.loaded = true;
  }

  /** Makes a model the one classification and the live view use. */
  async setActive(id: string): Promise<ModelEntry> {
    const entry = await call('models.setActive', { id });
    await this.refresh();
    return entry;
  }

  byId(id: string | null | undefined): ModelEntry | null {
    return this.list.find((m) => m.id === id) ?? null;
  }
}

export const models = new Models();
