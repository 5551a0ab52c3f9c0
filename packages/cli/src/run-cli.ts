import { parseCommand, USAGE, UsageError } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { runGenerate } from './generate-command.js';
import { runWorker } from './worker-command.js';

/** Runs one command line; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.name === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    return command.name === 'generate' ? await runGenerate(command.args, io) : await runWorker(command.args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`review-jobs: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}
