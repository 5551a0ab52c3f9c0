import { getReviewJobs } from '@/lib/review-jobs';

/**
 * Demo mode only: POST { faultRate } sets the share (0..1) of simulated model calls
 * that fail with a non-retryable "blocked" answer, so failed items and the retry that
 * completes them can be shown. Refused when a real model is configured.
 */
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const { fakeGenerator } = getReviewJobs();
  if (!fakeGenerator) {
    return Response.json(
      { error: { code: 'not_demo_mode', message: 'Demo settings exist only with the simulated model (no GEMINI_API_KEY).' } },
      { status: 403 },
    );
  }
  const body: unknown = await request.json().catch(() => undefined);
  const faultRate = typeof body === 'object' && body !== null ? (body as { faultRate?: unknown }).faultRate : undefined;
  if (typeof faultRate !== 'number' || !(faultRate >= 0 && faultRate <= 1)) {
    return Response.json(
      { error: { code: 'invalid_body', message: 'faultRate: must be a number from 0 to 1', fieldErrors: { faultRate: ['must be a number from 0 to 1'] } } },
      { status: 400 },
    );
  }
  fakeGenerator.setFaultRate(faultRate);
  return Response.json({ faultRate: fakeGenerator.faultRate });
}
