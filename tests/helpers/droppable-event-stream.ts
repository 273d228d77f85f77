/**
 * Lets a test cut the page's server-sent event stream and bring it back, as a sleeping laptop or a restarted
 * proxy does: the page's EventSource is wrapped before the app loads, so `drop` closes the real connection (the
 * server forgets the client and what it emits meanwhile is lost) and `resume` opens a new one, firing `open`
 * again on the object the app holds, exactly as the browser's own reconnection does.
 */
import type { Page } from 'playwright-core';

declare global {
  interface Window {
    serTestEventStream?: { drop(): void; resume(): void };
  }
}

export async function installDroppableEventStream(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.EventSource;
    const streams: Droppable[] = [];
    class Droppable extends EventTarget {
      onopen: ((event: Event) => void) | null = null;
      onmessage: ((event: MessageEvent) => void) | null = null;
      onerror: ((event: Event) => void) | null = null;
      private native!: EventSource;
      constructor(readonly url: string) {
        super();
        streams.push(this);
        this.connect();
      }
      connect(): void {
        this.native = new Native(this.url);
        this.native.onopen = (event) => this.onopen?.(event);
        this.native.onmessage = (event) => this.onmessage?.(event);
        this.native.onerror = (event) => this.onerror?.(event);
      }
      get readyState(): number {
        return this.native.readyState;
      }
      close(): void {
        this.native.close();
      }
    }
    window.EventSource = Droppable as unknown as typeof EventSource;
    window.serTestEventStream = {
      drop: () => streams.forEach((s) => s.close()),
      resume: () => streams.forEach((s) => s.connect()),
    };
  });
}

export const dropEventStream = (page: Page) => page.evaluate(() => window.serTestEventStream!.drop());
export const resumeEventStream = (page: Page) => page.evaluate(() => window.serTestEventStream!.resume());
