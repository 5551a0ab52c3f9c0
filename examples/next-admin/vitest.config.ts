import { defineConfig } from 'vitest/config';

// The browser suite: each file starts the built app (`next start`) and a headless
// Chromium, so files run one after another and waits are long.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
