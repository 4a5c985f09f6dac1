import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the built renderer (`electron-vite build`) served by the web harness and driven
 * in headless Chromium. One file at a time, in one process: each test file starts its own harness
 * and browser, and the machine running them may have only two cores.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/browser-setup.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
