import { after } from 'next/server';
import { getReviewJobs } from '@/lib/review-jobs';
import { triggerWorker } from '@/lib/trigger-worker';

// The job API of @review-jobs/core/http, mounted as one catch-all route: start, list,
// read, items, logs, cancel, retry and the live event stream (SSE).
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return getReviewJobs().handlers(request);
}

export async function POST(request: Request): Promise<Response> {
  const { handlers, config } = getReviewJobs();
  const response = await handlers(request);
  // In serverless mode the runner does not run jobs by itself (autoRun: false): a job
  // that was just created, or taken back to pending by a retry, needs the worker route.
  if (config.mode === 'serverless' && response.ok) {
    const jobId = await startedJobId(request, response);
    if (jobId) after(() => triggerWorker(new URL(request.url).origin, jobId, config));
  }
  return response;
}

async function startedJobId(request: Request, response: Response): Promise<string | undefined> {
  const path = new URL(request.url).pathname;
  if (!/\/jobs(\/[^/]+\/retry)?$/.test(path)) return undefined;
  const body = (await response.clone().json().catch(() => undefined)) as { job?: { id?: string } } | undefined;
  return body?.job?.id;
}
