#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

runCli(process.argv.slice(2), processIo()).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`review-jobs: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
