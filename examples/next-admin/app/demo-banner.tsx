import { connection } from 'next/server';
import { getReviewJobs } from '@/lib/review-jobs';
import { simulatedParts } from '@/lib/review-jobs-config';

/** Says plainly when the page runs on simulated parts, and how jobs run. */
export async function DemoBanner() {
  // Read at request time: the configuration is the running server's, not the build's.
  await connection();
  const { config } = getReviewJobs();
  const simulated = simulatedParts(config);
  const mode = config.mode === 'serverless' ? 'jobs run by the worker route in time slices (serverless mode)' : 'jobs run in this server process';
  return (
    <p className="demo-banner" role="note" data-demo={simulated.length > 0} data-mode={config.mode}>
      <strong>{simulated.length > 0 ? `demo mode: ${simulated.join(', ')}` : 'connected: Supabase store, Gemini model'}</strong>
      <span>{` · ${mode}`}</span>
    </p>
  );
}
