import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// The monorepo root: the @review-jobs/* packages are symlinks (npm workspaces) into
// ../../packages, which Turbopack only follows inside its root, and the output file
// tracing must see the hoisted root node_modules.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const config: NextConfig = {
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
  // Loaded by Node at run time instead of bundled into the server routes. For
  // @review-jobs/* this is about identity, not size: one copy of core's classes in the
  // process, so a JobStateError thrown by the store is `instanceof` the one the HTTP
  // handlers check, whichever route bundle runs. The vendor SDKs are node-only.
  // (@review-jobs/react is not listed: its client components are bundled for the browser.)
  serverExternalPackages: [
    '@review-jobs/core',
    '@review-jobs/adapter-memory',
    '@review-jobs/adapter-supabase',
    '@review-jobs/adapter-gemini',
    '@supabase/supabase-js',
    '@google/genai',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
