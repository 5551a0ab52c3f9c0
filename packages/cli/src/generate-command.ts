import { ReviewJobRunner, type Job } from '@review-jobs/core';
import { MemoryJobStore } from '@review-jobs/adapter-memory';
import type { GenerateArgs } from './cli-args.js';
import { writeDrafts } from './drafts-file.js';
import { generatorFromEnv } from './generator-from-env.js';
import { ProgressBar } from './progress-bar.js';
import type { CliIo } from './cli-io.js';

const EXIT_CODES: Record<string, number> = { completed: 0, failed: 1, cancelled: 130 };

/** `review-jobs generate`: one job on the embedded memory store, with a live progress bar. */
export async function runGenerate(args: GenerateArgs, io: CliIo): Promise<number> {
  const { generator, description } = generatorFromEnv(io.env, args.model, args);
  io.stdout.write(`${description}\n`);

  const runner = new ReviewJobRunner({
    store: new MemoryJobStore(),
    generator,
    concurrency: args.concurrency,
    rateLimit: { requestsPerMinute: args.rpm, tokensPerMinute: args.tpm },
  });
  const bar = new ProgressBar({ stream: io.stderr });
  runner.on('progress', (job) => bar.render(job));

  const { jobId, job } = await runner.start({
    submissionId: `cli-${Date.now()}`,
    placeName: args.place,
    script: args.script,
    count: args.count,
    model: args.model,
  });
  bar.render(job);

  // First Ctrl-C cancels cleanly (in-flight calls aborted, summary printed);
  // a second one leaves at once.
  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted) io.exit(130);
    interrupted = true;
    io.stderr.write('\nCancelling: in-flight calls are being aborted (Ctrl-C again to quit now)\n');
    runner.cancel(jobId).catch((error: unknown) => io.stderr.write(`cancel failed: ${String(error)}\n`));
  };
  io.onInterrupt(onInterrupt);

  try {
    const finished = await runner.waitForJob(jobId);
    bar.render(finished);
    bar.finish();
    const items = await runner.listItems(jobId);
    io.stdout.write(`${summarize(finished)}\n`);
    if (args.out) {
      await writeDrafts(args.out, items);
      io.stdout.write(`Drafts written to ${args.out}\n`);
    } else {
      for (const item of items) {
        if (item.status === 'succeeded') io.stdout.write(`${item.index}. ${item.text}\n`);
      }
    }
    return EXIT_CODES[finished.status] ?? 1;
  } finally {
    io.offInterrupt(onInterrupt);
    await runner.close();
  }
}

function summarize(job: Job): string {
  const seconds = job.startedAt && job.finishedAt ? (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000 : 0;
  const pending = job.totalItems - job.completedItems - job.failedItems;
  const parts = [`${job.completedItems} succeeded`, `${job.failedItems} failed`];
  if (pending > 0) parts.push(`${pending} not generated`);
  const reason = job.errorMessage ? ` (${job.errorMessage})` : '';
  return `Job ${job.status} in ${seconds.toFixed(1)} s: ${parts.join(', ')} of ${job.totalItems}${reason}`;
}
