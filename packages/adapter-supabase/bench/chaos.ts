/**
 * Chaos: 3 worker processes share 20 jobs x 50 items through the Supabase store; one is
 * killed with SIGKILL at a random moment. Every round must end with every job completed,
 * exactly 50 item rows each, no duplicate, counters equal to the rows.
 *
 *   cd packages/adapter-supabase && npx tsx bench/chaos.ts [rounds=10]
 *
 * Needs PostgreSQL (see README "Tests"). The parent creates a fresh database and runs the
 * PostgREST test gateway; the workers reach it over HTTP like real workers reach Supabase.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SupabaseJobStore } from '@review-jobs/adapter-supabase';
import { startSupabaseTestEnv, type SupabaseTestEnv } from '../test-support/supabase-test-env.js';

const ROUNDS = Number(process.argv[2] ?? 10);
const WORKERS = 3;
const JOBS = 20;
const ITEMS = 50;
const KILL_WINDOW_MS = [0, 1_500] as const;
const ROUND_TIMEOUT_MS = 60_000;

const workerScript = fileURLToPath(new URL('./chaos-worker.ts', import.meta.url));

interface RoundReport {
  ok: boolean;
  line: string;
}

async function main(): Promise<void> {
  const env = await startSupabaseTestEnv({ poolSize: 16 });
  let failures = 0;
  try {
    console.log(`chaos: ${ROUNDS} rounds, ${WORKERS} workers, ${JOBS} jobs x ${ITEMS} items, one SIGKILL per round`);
    for (let round = 1; round <= ROUNDS; round++) {
      const report = await runRound(env, round);
      if (!report.ok) failures += 1;
      console.log(report.line);
    }
  } finally {
    await env.close();
  }
  console.log(failures === 0 ? `chaos: all ${ROUNDS} rounds passed` : `chaos: ${failures} of ${ROUNDS} rounds FAILED`);
  process.exitCode = failures === 0 ? 0 : 1;
}

async function runRound(env: SupabaseTestEnv, round: number): Promise<RoundReport> {
  const store = new SupabaseJobStore(env.serviceClient());
  const jobIds: string[] = [];
  for (let j = 0; j < JOBS; j++) {
    const submissionId = `chaos-r${round}-j${j}`;
    const { job } = await store.createJob({
      type: 'ai_review_generation',
      submissionId,
      payload: { submissionId, placeName: '성수동 카페 온도', script: '핸드드립 커피가 맛있고 조용함', count: ITEMS },
      totalItems: ITEMS,
      maxRetries: 3,
      createdBy: null,
    });
    jobIds.push(job.id);
  }

  const started = Date.now();
  const workers = Array.from({ length: WORKERS }, (_, w) => spawnWorker(env, `chaos-r${round}-w${w}`, round * 10 + w));
  const victim = Math.floor(Math.random() * WORKERS);
  // The random moment is counted from when the victim holds work (process start-up with
  // tsx takes a while and varies), so the kill always lands mid-job.
  const victimHoldsWork = async () => {
    const { rows } = await env.sql.query<{ n: number }>(
      `select count(*)::int as n from background_jobs where lease_owner = $1 and status = 'running'`,
      [workers[victim]!.owner],
    );
    return rows[0]!.n > 0;
  };
  await waitUntil(victimHoldsWork, ROUND_TIMEOUT_MS);
  const killAfter = KILL_WINDOW_MS[0] + Math.random() * (KILL_WINDOW_MS[1] - KILL_WINDOW_MS[0]);
  await sleep(killAfter);
  // Between two jobs the victim holds nothing, and the kill would test no takeover: wait
  // (briefly) for its next claim.
  await waitUntil(victimHoldsWork, 5_000, 5);
  workers[victim]!.child.kill('SIGKILL');
  // What the dead worker held at the moment it died: the survivors must take these over.
  const orphaned = await env.sql.query<{ n: number; items: number }>(
    `select count(*)::int as n, coalesce(sum(total_items - completed_items - failed_items), 0)::int as items
       from background_jobs where lease_owner = $1 and status = 'running'`,
    [workers[victim]!.owner],
  );

  const done = await waitUntil(async () => {
    const { rows } = await env.sql.query<{ n: number }>(
      `select count(*)::int as n from background_jobs where id = any($1::uuid[]) and status in ('completed', 'failed', 'cancelled')`,
      [jobIds],
    );
    return rows[0]!.n === JOBS;
  }, ROUND_TIMEOUT_MS);
  const elapsedMs = Date.now() - started;
  await Promise.all(workers.filter((_, w) => w !== victim).map((worker) => stopWorker(worker.child)));

  const check = await checkJobs(env, jobIds);
  const ok = done && check.problems.length === 0;
  const line =
    `round ${String(round).padStart(2)}: killed ${workers[victim]!.owner} ${Math.round(killAfter)} ms into its work ` +
    `(held ${orphaned.rows[0]!.n} jobs, ${orphaned.rows[0]!.items} items unfinished) | ` +
    `${check.completed}/${JOBS} jobs completed in ${(elapsedMs / 1000).toFixed(1)} s | ` +
    `item rows ${check.itemRows}/${JOBS * ITEMS}, duplicates ${check.duplicates}, counter mismatches ${check.mismatches} | ` +
    (ok ? 'OK' : `FAILED: ${done ? '' : 'timed out; '}${check.problems.slice(0, 3).join('; ')}`);
  return { ok, line };
}

interface Worker {
  owner: string;
  child: ChildProcess;
}

function spawnWorker(env: SupabaseTestEnv, owner: string, seed: number): Worker {
  const child = fork(workerScript, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      SUPABASE_URL: env.url,
      SUPABASE_SERVICE_ROLE_KEY: env.serviceRoleKey,
      WORKER_OWNER: owner,
      WORKER_SEED: String(seed),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return { owner, child };
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function checkJobs(env: SupabaseTestEnv, jobIds: string[]) {
  const { rows } = await env.sql.query<{
    id: string;
    status: string;
    completed_items: number;
    failed_items: number;
    rows: number;
    distinct_indexes: number;
    succeeded: number;
    failed: number;
  }>(
    `select j.id, j.status, j.completed_items, j.failed_items,
            count(i.*)::int as rows,
            count(distinct i.item_index)::int as distinct_indexes,
            count(*) filter (where i.status = 'succeeded')::int as succeeded,
            count(*) filter (where i.status = 'failed')::int as failed
       from background_jobs j left join background_job_items i on i.job_id = j.id
      where j.id = any($1::uuid[])
      group by j.id`,
    [jobIds],
  );
  const problems: string[] = [];
  let duplicates = 0;
  let mismatches = 0;
  for (const job of rows) {
    duplicates += job.rows - job.distinct_indexes;
    if (job.completed_items !== job.succeeded || job.failed_items !== job.failed) mismatches += 1;
    if (job.status !== 'completed') problems.push(`job ${job.id} is ${job.status}`);
    if (job.rows !== ITEMS) problems.push(`job ${job.id} has ${job.rows} item rows`);
    if (job.succeeded !== ITEMS) problems.push(`job ${job.id}: ${job.succeeded}/${ITEMS} items succeeded`);
    if (job.completed_items !== job.succeeded || job.failed_items !== job.failed) {
      problems.push(`job ${job.id}: counters ${job.completed_items}/${job.failed_items}, rows ${job.succeeded}/${job.failed}`);
    }
  }
  if (duplicates > 0) problems.push(`${duplicates} duplicate item rows`);
  return {
    problems,
    duplicates,
    mismatches,
    completed: rows.filter((job) => job.status === 'completed').length,
    itemRows: rows.reduce((sum, job) => sum + job.rows, 0),
  };
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(pollMs);
  }
  return false;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

await main();
