import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {"index":"src/index.ts","http/index":"src/http/index.ts","client/index":"src/client/index.ts","testing/index":"src/testing/index.ts","fake/index":"src/fake/index.ts"},
  format: ['esm', 'cjs'],
  dts: true,
  // One copy of each module across the entries (and formats): a GenerationError thrown
  // from /testing must be `instanceof GenerationError` from the root entry.
  splitting: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['vitest'],
});
