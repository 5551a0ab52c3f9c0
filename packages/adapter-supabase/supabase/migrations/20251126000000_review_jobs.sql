-- review-jobs: background LLM review-generation jobs.
--
-- Three tables (jobs, their items, their logs), one RPC function per state change, RLS on
-- everything. Workers write through the service role; signed-in users read their own
-- jobs and may cancel or retry them; anon gets nothing.
--
-- Conventions:
-- * Every state change is one function call, one transaction, fenced where it must be
--   (lease owner), so two workers racing leave a state one of them alone could produce.
-- * Functions are `security invoker` with `search_path = ''`: they run with the caller's
--   rights, so RLS and grants decide who may do what, in one place.
-- * Timestamps are truncated to milliseconds: the API shows milliseconds (ISO strings)
--   and pages on (created_at, id), so the stored value must be exactly the shown one.

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------

create table public.background_jobs (
  id uuid primary key default gen_random_uuid(),
  type text not null check (type <> ''),
  submission_id text not null check (submission_id <> ''),
  status text not null default 'pending'
    check (status in ('pending', 'running', 'completed', 'failed', 'cancelled')),
  payload jsonb not null,
  result jsonb,
  total_items integer not null check (total_items >= 0),
  completed_items integer not null default 0 check (completed_items >= 0),
  failed_items integer not null default 0 check (failed_items >= 0),
  progress_percentage numeric(5, 2) not null default 0,
  input_tokens bigint not null default 0,
  output_tokens bigint not null default 0,
  -- Text, not a foreign key to auth.users: hosts may enqueue jobs for ids that are not
  -- Supabase Auth users (a CLI, another identity provider). RLS compares it with
  -- auth.uid()::text.
  created_by text,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  started_at timestamptz,
  -- The API's `finishedAt`; the plan's name is kept for the table.
  completed_at timestamptz,
  error_message text,
  retry_count integer not null default 0 check (retry_count >= 0),
  max_retries integer not null default 3 check (max_retries >= 0),
  cancel_requested_at timestamptz,
  lease_owner text,
  lease_expires_at timestamptz,
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  check (completed_items + failed_items <= total_items)
);

comment on table public.background_jobs is 'review-jobs: one row per generation job';
comment on column public.background_jobs.completed_at is 'when the job reached a terminal status (finishedAt)';
comment on column public.background_jobs.lease_owner is 'runner holding the job; the fencing token of its writes';

-- The dedupe: at most one active job per submission. create_job relies on it to be
-- atomic under concurrency (ON CONFLICT on this index).
create unique index background_jobs_active_submission_key
  on public.background_jobs (submission_id)
  where status in ('pending', 'running');

-- The plan's indexes; status and created_by lead composites that also serve the
-- newest-first listing filtered by them.
create index background_jobs_status_idx on public.background_jobs (status, created_at desc, id desc);
create index background_jobs_type_idx on public.background_jobs (type);
create index background_jobs_created_by_idx on public.background_jobs (created_by, created_at desc, id desc);
-- Unfiltered listing (newest first).
create index background_jobs_list_idx on public.background_jobs (created_at desc, id desc);
-- Claim order (oldest first) over the only rows a claim can take.
create index background_jobs_claim_idx on public.background_jobs (created_at, id)
  where status in ('pending', 'running');

create table public.background_job_items (
  job_id uuid not null references public.background_jobs (id) on delete cascade,
  item_index integer not null check (item_index >= 1),
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  text text,
  error text,
  attempts integer not null default 0 check (attempts >= 0),
  input_tokens integer,
  output_tokens integer,
  updated_at timestamptz,
  -- (job_id, item_index) is the key every write is fenced on: no duplicate items.
  primary key (job_id, item_index)
);

comment on table public.background_job_items is 'review-jobs: one row per generated text (1..total_items)';

create table public.background_job_logs (
  id bigint generated always as identity primary key,
  job_id uuid not null references public.background_jobs (id) on delete cascade,
  level text not null check (level in ('info', 'warning', 'error')),
  message text not null,
  metadata jsonb,
  created_at timestamptz not null default date_trunc('milliseconds', now())
);

comment on table public.background_job_logs is 'review-jobs: the story of a job (started, retries, failures, finished)';

-- The plan's logs.job_id index, extended to the newest-first order the log reader uses.
create index background_job_logs_job_id_idx on public.background_job_logs (job_id, created_at desc, id desc);

-- ---------------------------------------------------------------------------------------
-- Row level security and table privileges
-- ---------------------------------------------------------------------------------------

alter table public.background_jobs enable row level security;
alter table public.background_job_items enable row level security;
alter table public.background_job_logs enable row level security;

-- Supabase's default privileges grant everything in `public` to anon and authenticated:
-- take it all back, then give exactly what is needed. The service role bypasses RLS and
-- keeps its grants (every worker write goes through it).
revoke all on public.background_jobs, public.background_job_items, public.background_job_logs
  from public, anon, authenticated;
grant all on public.background_jobs, public.background_job_items, public.background_job_logs
  to service_role;

grant select on public.background_jobs, public.background_job_items, public.background_job_logs
  to authenticated;
-- Only the columns that cancel and retry write: they run as the caller (security
-- invoker) so that RLS, not the function, decides whose jobs may change.
grant update (status, failed_items, progress_percentage, completed_at, error_message, retry_count,
  cancel_requested_at, lease_owner, lease_expires_at, updated_at)
  on public.background_jobs to authenticated;
grant update (status, text, error, input_tokens, output_tokens, updated_at)
  on public.background_job_items to authenticated;

-- Admins: a user whose JWT carries app_metadata.role = 'admin' (set it with the Auth
-- admin API; users cannot edit app_metadata themselves) reads and manages every job.
create policy "background_jobs: read own (admins: all)"
  on public.background_jobs for select to authenticated
  using (
    created_by = (select auth.uid())::text
    or ((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin'
  );

create policy "background_jobs: cancel or retry own (admins: all)"
  on public.background_jobs for update to authenticated
  using (
    created_by = (select auth.uid())::text
    or ((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin'
  )
  with check (
    created_by = (select auth.uid())::text
    or ((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin'
  );

-- Items and logs follow their job: the subquery on background_jobs is itself filtered by
-- the policies above.
create policy "background_job_items: read with the job"
  on public.background_job_items for select to authenticated
  using (exists (select 1 from public.background_jobs j where j.id = job_id));

create policy "background_job_items: retry with the job"
  on public.background_job_items for update to authenticated
  using (exists (select 1 from public.background_jobs j where j.id = job_id))
  with check (exists (select 1 from public.background_jobs j where j.id = job_id));

create policy "background_job_logs: read with the job"
  on public.background_job_logs for select to authenticated
  using (exists (select 1 from public.background_jobs j where j.id = job_id));

-- ---------------------------------------------------------------------------------------
-- RPC functions: one per state change (and the paged reads)
-- ---------------------------------------------------------------------------------------

-- Create a job and its items; when the submission already has an active job, return it.
-- Returns {"job": <row>, "created": bool}.
create function public.review_jobs_create_job(
  p_type text,
  p_submission_id text,
  p_payload jsonb,
  p_total_items integer,
  p_max_retries integer default 3,
  p_created_by text default null
) returns jsonb
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_job public.background_jobs;
begin
  if p_total_items is null or p_total_items < 1 then
    raise exception 'p_total_items must be a positive integer, got %', p_total_items
      using errcode = '22023';
  end if;
  -- ON CONFLICT waits for a concurrent insert of the same submission to commit; the
  -- SELECT after it then sees that job. The loop covers the narrow case where that job
  -- finished between the two statements (then our insert can succeed).
  for attempt in 1..3 loop
    insert into public.background_jobs (type, submission_id, payload, total_items, max_retries, created_by)
    values (p_type, p_submission_id, p_payload, p_total_items, coalesce(p_max_retries, 3), p_created_by)
    on conflict (submission_id) where status in ('pending', 'running') do nothing
    returning * into v_job;

    if v_job.id is not null then
      insert into public.background_job_items (job_id, item_index)
      select v_job.id, g from generate_series(1, p_total_items) as g;
      return jsonb_build_object('job', to_jsonb(v_job), 'created', true);
    end if;

    select * into v_job from public.background_jobs
    where submission_id = p_submission_id and status in ('pending', 'running');
    if found then
      return jsonb_build_object('job', to_jsonb(v_job), 'created', false);
    end if;
  end loop;
  raise exception 'could not create a job for submission %: it kept changing', p_submission_id
    using errcode = '40001';
end
$$;

-- Take the lease of a claimable job (pending, or running with an expired or released
-- lease): the given one, or the oldest. Returns the job, or null.
create function public.review_jobs_claim_job(
  p_owner text,
  p_lease_ms integer,
  p_job_id uuid default null
) returns jsonb
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_now timestamptz := date_trunc('milliseconds', now());
  v_job public.background_jobs;
begin
  if p_owner is null or p_owner = '' then
    raise exception 'p_owner must be a non-empty string' using errcode = '22023';
  end if;
  if p_lease_ms is null or p_lease_ms < 1 then
    raise exception 'p_lease_ms must be a positive integer, got %', p_lease_ms using errcode = '22023';
  end if;

  -- SKIP LOCKED: concurrent claimers each take a different job instead of queueing on
  -- the same row; of two claims of one job, the second finds it locked and gets null.
  select * into v_job from public.background_jobs
  where (p_job_id is null or id = p_job_id)
    and (status = 'pending'
      or (status = 'running' and (lease_owner is null or lease_expires_at <= v_now)))
  order by created_at, id
  limit 1
  for update skip locked;

  if not found then
    return null;
  end if;

  update public.background_jobs
  set status = 'running',
      started_at = coalesce(started_at, v_now),
      lease_owner = p_owner,
      lease_expires_at = v_now + make_interval(secs => p_lease_ms / 1000.0),
      updated_at = v_now
  where id = v_job.id
  returning * into v_job;
  return to_jsonb(v_job);
end
$$;

-- Renew the lease when p_owner holds it. Returns {"held": bool, "cancel_requested": bool}.
create function public.review_jobs_heartbeat(
  p_job_id uuid,
  p_owner text,
  p_lease_ms integer
) returns jsonb
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_now timestamptz := date_trunc('milliseconds', now());
  v_cancel_requested_at timestamptz;
begin
  if p_lease_ms is null or p_lease_ms < 1 then
    raise exception 'p_lease_ms must be a positive integer, got %', p_lease_ms using errcode = '22023';
  end if;

  update public.background_jobs
  set lease_expires_at = v_now + make_interval(secs => p_lease_ms / 1000.0),
      updated_at = v_now
  where id = p_job_id and status = 'running' and lease_owner = p_owner
  returning cancel_requested_at into v_cancel_requested_at;

  if found then
    return jsonb_build_object('held', true, 'cancel_requested', v_cancel_requested_at is not null);
  end if;
  select cancel_requested_at into v_cancel_requested_at from public.background_jobs where id = p_job_id;
  return jsonb_build_object('held', false, 'cancel_requested', v_cancel_requested_at is not null);
end
$$;

-- Give the lease up without finishing: the job stays running, claimable at once.
create function public.review_jobs_release_job(p_job_id uuid, p_owner text) returns void
language sql volatile security invoker set search_path = ''
as $$
  update public.background_jobs
  set lease_owner = null,
      lease_expires_at = null,
      updated_at = date_trunc('milliseconds', now())
  where id = p_job_id and status = 'running' and lease_owner = p_owner
$$;

-- Record one item's final outcome, fenced by the lease owner. Returns
-- {"recorded": true, "job": <row>} or {"recorded": false, "reason": <RecordRefusal>}.
create function public.review_jobs_record_item(
  p_job_id uuid,
  p_owner text,
  p_index integer,
  p_status text,
  p_text text default null,
  p_error text default null,
  p_attempts integer default 1,
  p_input_tokens integer default null,
  p_output_tokens integer default null
) returns jsonb
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_now timestamptz := date_trunc('milliseconds', now());
  v_job public.background_jobs;
  v_item_status text;
begin
  if p_status is null or p_status not in ('succeeded', 'failed') then
    raise exception 'p_status must be succeeded or failed, got %', p_status using errcode = '22023';
  end if;

  -- Locking the job row orders this write against claim, cancel and finish: the fence
  -- checked here still holds when the item is written.
  select * into v_job from public.background_jobs where id = p_job_id for update;
  if not found then
    return jsonb_build_object('recorded', false, 'reason', 'no_such_item');
  end if;
  if v_job.lease_owner is distinct from p_owner then
    return jsonb_build_object('recorded', false, 'reason', 'not_owner');
  end if;
  if v_job.status <> 'running' then
    return jsonb_build_object('recorded', false, 'reason', 'not_running');
  end if;
  if v_job.cancel_requested_at is not null then
    return jsonb_build_object('recorded', false, 'reason', 'cancel_requested');
  end if;

  select status into v_item_status from public.background_job_items
  where job_id = p_job_id and item_index = p_index;
  if not found then
    return jsonb_build_object('recorded', false, 'reason', 'no_such_item');
  end if;
  if v_item_status <> 'pending' then
    return jsonb_build_object('recorded', false, 'reason', 'already_recorded');
  end if;

  -- The item and the job's counters, progress and token usage in one statement.
  with item as (
    update public.background_job_items
    set status = p_status,
        text = p_text,
        error = p_error,
        attempts = greatest(coalesce(p_attempts, 0), 0),
        input_tokens = p_input_tokens,
        output_tokens = p_output_tokens,
        updated_at = v_now
    where job_id = p_job_id and item_index = p_index and status = 'pending'
    returning status
  )
  update public.background_jobs j
  set completed_items = j.completed_items + (item.status = 'succeeded')::int,
      failed_items = j.failed_items + (item.status = 'failed')::int,
      progress_percentage = round((j.completed_items + j.failed_items + 1) * 100.0 / j.total_items, 2),
      input_tokens = j.input_tokens + coalesce(p_input_tokens, 0),
      output_tokens = j.output_tokens + coalesce(p_output_tokens, 0),
      updated_at = v_now
  from item
  where j.id = p_job_id
  returning j.* into v_job;

  return jsonb_build_object('recorded', true, 'job', to_jsonb(v_job));
end
$$;

-- Append a batch of log lines ([{level, message, metadata?, at?}]) in order; an unknown
-- job is a no-op.
create function public.review_jobs_append_logs(p_job_id uuid, p_entries jsonb) returns void
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  if jsonb_typeof(p_entries) is distinct from 'array' then
    raise exception 'p_entries must be a JSON array' using errcode = '22023';
  end if;
  -- Identity values follow the ORDER BY, so ids keep the batch order.
  insert into public.background_job_logs (job_id, level, message, metadata, created_at)
  select p_job_id,
         e ->> 'level',
         e ->> 'message',
         nullif(e -> 'metadata', 'null'::jsonb),
         date_trunc('milliseconds', coalesce((e ->> 'at')::timestamptz, now()))
  from jsonb_array_elements(p_entries) with ordinality as x(e, n)
  where exists (select 1 from public.background_jobs where id = p_job_id)
  order by n;
end
$$;

-- Ask a job to stop: pending (or running without a live lease) is cancelled at once;
-- running under a live lease gets cancel_requested_at and its owner finishes it.
-- Authenticated users may call it: as security invoker it sees and updates only the jobs
-- the RLS policies allow, so another user's job is "no such job" (null).
create function public.review_jobs_request_cancel(p_job_id uuid) returns jsonb
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_now timestamptz := date_trunc('milliseconds', now());
  v_job public.background_jobs;
begin
  select * into v_job from public.background_jobs where id = p_job_id for update;
  if not found then
    return null;
  end if;

  if v_job.status = 'pending'
    or (v_job.status = 'running' and (v_job.lease_owner is null or v_job.lease_expires_at <= v_now)) then
    update public.background_jobs
    set status = 'cancelled',
        -- Kept for a running job (the cancel was asked while it ran); a pending job just ends.
        cancel_requested_at = case when status = 'running' then coalesce(cancel_requested_at, v_now) end,
        completed_at = v_now,
        lease_owner = null,
        lease_expires_at = null,
        updated_at = v_now
    where id = p_job_id
    returning * into v_job;
  elsif v_job.status = 'running' and v_job.cancel_requested_at is null then
    update public.background_jobs
    set cancel_requested_at = v_now,
        updated_at = v_now
    where id = p_job_id
    returning * into v_job;
  end if;
  return to_jsonb(v_job);
end
$$;

-- End a job, fenced by the lease owner. A requested cancel wins over the asked status.
-- Returns the job, or null when p_owner did not hold the lease.
create function public.review_jobs_finish_job(
  p_job_id uuid,
  p_owner text,
  p_status text,
  p_error_message text default null
) returns jsonb
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_now timestamptz := date_trunc('milliseconds', now());
  v_job public.background_jobs;
begin
  if p_status is null or p_status not in ('completed', 'failed', 'cancelled') then
    raise exception 'p_status must be completed, failed or cancelled, got %', p_status
      using errcode = '22023';
  end if;

  update public.background_jobs
  set status = case when cancel_requested_at is not null then 'cancelled' else p_status end,
      completed_at = v_now,
      error_message = p_error_message,
      lease_owner = null,
      lease_expires_at = null,
      updated_at = v_now
  where id = p_job_id and status = 'running' and lease_owner = p_owner
  returning * into v_job;

  if not found then
    return null;
  end if;
  return to_jsonb(v_job);
end
$$;

-- Take a terminal job with failed or pending items back to pending. Refusals raise
-- SQLSTATE P0001 with the JobStateError code as the hint (PostgREST answers 400 with
-- {code, message, hint}). Authenticated users may call it for the jobs RLS lets them
-- update; another user's job is "no such job" (null).
create function public.review_jobs_reset_for_retry(p_job_id uuid) returns jsonb
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_now timestamptz := date_trunc('milliseconds', now());
  v_job public.background_jobs;
begin
  select * into v_job from public.background_jobs where id = p_job_id for update;
  if not found then
    return null;
  end if;

  if v_job.status not in ('completed', 'failed', 'cancelled') then
    raise exception 'job % is %: only a finished job can be retried', p_job_id, v_job.status
      using errcode = 'P0001', hint = 'not_terminal';
  end if;
  if not exists (
    select 1 from public.background_job_items
    where job_id = p_job_id and status in ('failed', 'pending')
  ) then
    raise exception 'job % has no failed or unfinished items to retry', p_job_id
      using errcode = 'P0001', hint = 'nothing_to_retry';
  end if;
  if v_job.retry_count >= v_job.max_retries then
    raise exception 'job % was already retried % times (max_retries %)', p_job_id, v_job.retry_count, v_job.max_retries
      using errcode = 'P0001', hint = 'retries_exhausted';
  end if;

  update public.background_job_items
  set status = 'pending', text = null, error = null, input_tokens = null, output_tokens = null,
      updated_at = v_now
  where job_id = p_job_id and status = 'failed';

  begin
    update public.background_jobs
    set status = 'pending',
        failed_items = 0,
        progress_percentage = case when total_items = 0 then 0
          else round(completed_items * 100.0 / total_items, 2) end,
        retry_count = retry_count + 1,
        error_message = null,
        completed_at = null,
        cancel_requested_at = null,
        lease_owner = null,
        lease_expires_at = null,
        updated_at = v_now
    where id = p_job_id
    returning * into v_job;
  exception when unique_violation then
    raise exception 'submission % already has an active job: finish or cancel it before retrying job %',
      v_job.submission_id, p_job_id
      using errcode = 'P0001', hint = 'submission_active';
  end;
  return to_jsonb(v_job);
end
$$;

-- Newest first (created_at, id descending), after the (created_at, id) cursor when given.
-- Returns a JSON array of rows; RLS filters them for authenticated callers.
create function public.review_jobs_list_jobs(
  p_statuses text[] default null,
  p_created_by text default null,
  p_limit integer default 50,
  p_cursor_created_at timestamptz default null,
  p_cursor_id uuid default null
) returns jsonb
language sql stable security invoker set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(j) order by j.created_at desc, j.id desc), '[]'::jsonb)
  from (
    select * from public.background_jobs
    where (p_statuses is null or status = any (p_statuses))
      and (p_created_by is null or created_by = p_created_by)
      and (p_cursor_created_at is null or (created_at, id) < (p_cursor_created_at, p_cursor_id))
    order by created_at desc, id desc
    limit least(greatest(coalesce(p_limit, 50), 1), 201)
  ) j
$$;

-- Jobs per status (every status present). RLS filters for authenticated callers.
create function public.review_jobs_count_jobs(p_created_by text default null) returns jsonb
language sql stable security invoker set search_path = ''
as $$
  select jsonb_object_agg(s.status, coalesce(c.n, 0))
  from unnest(array['pending', 'running', 'completed', 'failed', 'cancelled']) as s(status)
  left join (
    select status, count(*) as n from public.background_jobs
    where p_created_by is null or created_by = p_created_by
    group by status
  ) c on c.status = s.status
$$;

-- A job's log, newest first (created_at, id descending), after the cursor when given.
create function public.review_jobs_list_logs(
  p_job_id uuid,
  p_limit integer default 50,
  p_cursor_created_at timestamptz default null,
  p_cursor_id bigint default null
) returns jsonb
language sql stable security invoker set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(l) order by l.created_at desc, l.id desc), '[]'::jsonb)
  from (
    select * from public.background_job_logs
    where job_id = p_job_id
      and (p_cursor_created_at is null or (created_at, id) < (p_cursor_created_at, p_cursor_id))
    order by created_at desc, id desc
    limit least(greatest(coalesce(p_limit, 50), 1), 1001)
  ) l
$$;

-- ---------------------------------------------------------------------------------------
-- Function privileges
-- ---------------------------------------------------------------------------------------

-- Functions are executable by PUBLIC by default, and Supabase's default privileges add
-- anon and authenticated: revoke all of it, then grant per role.
revoke all on function
  public.review_jobs_create_job(text, text, jsonb, integer, integer, text),
  public.review_jobs_claim_job(text, integer, uuid),
  public.review_jobs_heartbeat(uuid, text, integer),
  public.review_jobs_release_job(uuid, text),
  public.review_jobs_record_item(uuid, text, integer, text, text, text, integer, integer, integer),
  public.review_jobs_append_logs(uuid, jsonb),
  public.review_jobs_request_cancel(uuid),
  public.review_jobs_finish_job(uuid, text, text, text),
  public.review_jobs_reset_for_retry(uuid),
  public.review_jobs_list_jobs(text[], text, integer, timestamptz, uuid),
  public.review_jobs_count_jobs(text),
  public.review_jobs_list_logs(uuid, integer, timestamptz, bigint)
  from public, anon, authenticated;

-- Worker writes: the service role only.
grant execute on function
  public.review_jobs_create_job(text, text, jsonb, integer, integer, text),
  public.review_jobs_claim_job(text, integer, uuid),
  public.review_jobs_heartbeat(uuid, text, integer),
  public.review_jobs_release_job(uuid, text),
  public.review_jobs_record_item(uuid, text, integer, text, text, text, integer, integer, integer),
  public.review_jobs_append_logs(uuid, jsonb),
  public.review_jobs_finish_job(uuid, text, text, text)
  to service_role;

-- What a signed-in user may do to the jobs RLS shows them: read, cancel, retry.
grant execute on function
  public.review_jobs_request_cancel(uuid),
  public.review_jobs_reset_for_retry(uuid),
  public.review_jobs_list_jobs(text[], text, integer, timestamptz, uuid),
  public.review_jobs_count_jobs(text),
  public.review_jobs_list_logs(uuid, integer, timestamptz, bigint)
  to service_role, authenticated;
