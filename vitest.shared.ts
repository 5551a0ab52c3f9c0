// Tests import the packages by their public names; these aliases point those names at
// the sources so tests run without a build, exactly through the public entry points.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const src = (path: string) => `${root}packages/${path}`;

export const sourceAliases = [
  { find: /^@review-jobs\/core\/(http|client|testing|fake)$/, replacement: src('core/src/$1/index.ts') },
  { find: /^@review-jobs\/core$/, replacement: src('core/src/index.ts') },
  { find: /^@review-jobs\/adapter-gemini\/(legacy|testing)$/, replacement: src('adapter-gemini/src/$1/index.ts') },
  { find: /^@review-jobs\/(adapter-memory|adapter-supabase|adapter-gemini|adapter-bullmq|react)$/, replacement: src('$1/src/index.ts') },
];
