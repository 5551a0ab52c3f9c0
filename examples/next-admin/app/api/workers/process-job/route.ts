import { after } from 'next/server';
import { isTerminal } from '@review-jobs/core';
import { getReviewJobs } from '@/lib/review-jobs';
import { triggerWorker } from '@/lib/trigger-worker';

/**
 * The plan's worker route for serverless hosts (phase 2, option A): POST { jobId }.
 * It answers 202 at once and, after the response (`after()`), runs one time slice of
 * the job with `runner.runFor`, stopping cleanly before the route's `maxDuration`;
 * when the job is not done, it calls itself again for the next slice. All state is in
 * the store, so any instance can take the next slice.
 *
 * On hosts where nothing can keep a chain going (a crashed instance), a cron calling
 * this route for running jobs with an expired lease picks them up again.
 */
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
// The host's limit for this function, `after()` work included (Vercel reads this).
export const maxDuration = 60;

/** Left for the response, the lease release and the call that starts the next slice. */
const MARGIN_MS = 5_000;
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function POST(request: Request): Promise<Response> {
  const startedAt = Date.now();
  const { runner, config } = getReviewJobs();
  if (config.workerSecret && request.headers.get('authorization') !== `Bearer ${config.workerSecret}`) {
    return error(401, 'unauthorized', 'authorization: the worker secret (Bearer) is missing or wrong');
  }
  const body: unknown = await request.json().catch(() => undefined);
  const jobId = typeof body === 'object' && body !== null ? (body as { jobId?: unknown }).jobId : undefined;
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) {
    return error(400, 'invalid_body', 'jobId: must be a job id (a UUID), in a JSON body { "jobId": "..." }');
  }
  const job = await runner.getJob(jobId);
  if (!job) return error(404, 'not_found', `jobId: no job with id "${jobId}"`);
  if (isTerminal(job.status)) return Response.json({ jobId, status: job.status, done: true });

  const origin = new URL(request.url).origin;
  after(async () => {
    try {
      const budgetMs = Math.min(maxDuration * 1000 - MARGIN_MS, config.sliceMs ?? Number.POSITIVE_INFINITY);
      const { done } = await runner.runFor(jobId, { deadline: startedAt + budgetMs });
      const now = await runner.getJob(jobId);
      console.info(`[review-jobs] worker slice: job ${jobId} ${now?.status} ${now?.progress}% done=${done}`);
      // Someone else holding a live lease (another slice, a worker process) carries on itself.
      const heldElsewhere = now?.leaseOwner != null && Date.parse(now.leaseExpiresAt ?? '') > Date.now();
      if (!done && now && !isTerminal(now.status) && !heldElsewhere) await triggerWorker(origin, jobId, config);
    } catch (failure) {
      console.error(`[review-jobs] worker slice for job ${jobId} failed`, failure);
    }
  });
  return Response.json({ jobId, accepted: true }, { status: 202 });
}

function error(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}
