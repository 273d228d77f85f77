// Builds the Svelte workspace into dist/renderer, which Electron loads from file:// and `ser serve` serves over HTTP.
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Relative asset URLs, so the same build works from file:// (Electron) and from the serve-mode origin.
  base: './',
  plugins: [svelte()],
  build: {
    outDir: here('../dist/renderer'),
    emptyOutDir: true,
    // Electron 39 and current Chromium: no legacy transforms needed.
    target: 'chrome120',
    // wavesurfer and the app together stay well under the default warning size; keep one predictable bundle.
    assetsInlineLimit: 0,
    // A slow machine makes Rolldown print plugin timings in the middle of `ser serve`'s first-run progress lines.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
