/**
 * The example's configuration, read once from the environment (documented in
 * .env.example). Every part has a default that runs with nothing installed: an
 * in-memory store and a simulated model, which the pages then say plainly.
 */
export type RunMode = 'in-process' | 'serverless';

export interface ReviewJobsConfig {
  /** in-process: jobs run inside this server. serverless: the worker route runs them in time slices. */
  mode: RunMode;
  store: { kind: 'memory' } | { kind: 'supabase'; url: string; serviceRoleKey: string };
  model: { kind: 'fake'; timeScale: number } | { kind: 'gemini'; apiKey: string; model: string | undefined };
  concurrency: number;
  requestsPerMinute: number | undefined;
  tokensPerMinute: number | undefined;
  /** Caps one worker slice below the route's maxDuration (shorter slices show the continuation). */
  sliceMs: number | undefined;
  /** When set, the worker route requires `Authorization: Bearer <secret>`. */
  workerSecret: string | undefined;
}

type Env = Record<string, string | undefined>;

export function readReviewJobsConfig(env: Env): ReviewJobsConfig {
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (name: string, { min, max, integer }: { min: number; max: number; integer?: boolean }) => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new TypeError(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };

  const mode = text('REVIEW_JOBS_MODE') ?? 'in-process';
  if (mode !== 'in-process' && mode !== 'serverless') {
    throw new TypeError(`REVIEW_JOBS_MODE must be "in-process" or "serverless", got "${mode}"`);
  }

  const supabaseUrl = text('SUPABASE_URL');
  const serviceRoleKey = text('SUPABASE_SERVICE_ROLE_KEY');
  if ((supabaseUrl === undefined) !== (serviceRoleKey === undefined)) {
    throw new TypeError('SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY must be set together (or neither, for the in-memory store)');
  }

  const apiKey = text('GEMINI_API_KEY');
  return {
    mode,
    store: supabaseUrl && serviceRoleKey ? { kind: 'supabase', url: supabaseUrl, serviceRoleKey } : { kind: 'memory' },
    model: apiKey
      ? { kind: 'gemini', apiKey, model: text('GEMINI_MODEL') }
      : { kind: 'fake', timeScale: number('REVIEW_JOBS_TIME_SCALE', { min: 0.001, max: 10 }) ?? 0.1 },
    concurrency: number('REVIEW_JOBS_CONCURRENCY', { min: 1, max: 1000, integer: true }) ?? 10,
    requestsPerMinute: number('REVIEW_JOBS_RPM', { min: 1, max: 1_000_000, integer: true }),
    tokensPerMinute: number('REVIEW_JOBS_TPM', { min: 1, max: 1_000_000_000, integer: true }),
    sliceMs: number('REVIEW_JOBS_SLICE_MS', { min: 1_000, max: 3_600_000, integer: true }),
    workerSecret: text('REVIEW_JOBS_WORKER_SECRET'),
  };
}

/** What the banner says is simulated; empty when everything is real. */
export function simulatedParts(config: ReviewJobsConfig): string[] {
  return [
    ...(config.store.kind === 'memory' ? ['in-memory store'] : []),
    ...(config.model.kind === 'fake' ? ['simulated model'] : []),
  ];
}
