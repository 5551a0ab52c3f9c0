import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Bundling drops the per-file 'use client' directives; everything this package
  // exports is client code, so the whole bundle is marked for the React Server
  // Components bundler (Next.js App Router) instead.
  banner: { js: "'use client';" },
  // The optional stylesheet ships as is: `import '@review-jobs/react/styles.css'`.
  onSuccess: () => copyFile('styles.css', 'dist/styles.css'),
});
