import { defineConfig } from 'vitest/config';
import { sourceAliases } from '../../vitest.shared.ts';

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: { include: ['src/**/*.test.ts'] },
});
