import type { ApiEvent } from './contract.ts';

export type ApiEventListener = (event: ApiEvent) => void;

/** Fans events out to every transport's subscribers (IPC windows, SSE streams). */
export class ApiEventBus {
  private readonly listeners = new Set<ApiEventListener>();

  emit(event: ApiEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // One broken subscriber (a closed stream) must not keep the event from the others.
        console.error('event listener failed:', err);
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: ApiEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
