/** Short messages in the corner: errors stay until dismissed (they carry the API's message), the rest fade. */
import { errorMessage } from './api';

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'success';
  message: string;
}

const INFO_MS = 5000;

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  show(kind: Toast['kind'], message: string): void {
    const id = this.#next++;
    this.items.push({ id, kind, message });
    if (kind !== 'error') setTimeout(() => this.dismiss(id), INFO_MS);
  }

  error(error: unknown): void {
    this.show('error', errorMessage(error));
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();

/** Runs `task`, turning a failure into an error toast; resolves to undefined then. */
export async function attempt<T>(task: () => Promise<T>): Promise<T | undefined> {
  try {
    return await task();
  } catch (error) {
    toasts.error(error);
    return undefined;
  }
}
