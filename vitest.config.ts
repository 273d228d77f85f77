import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // TensorFlow's wasm backend and audio decoding are CPU-heavy on a 2-core machine;
    // forks keep each file's wasm heap isolated and stop files fighting for cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
