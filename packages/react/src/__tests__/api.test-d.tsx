import { describe, expectTypeOf, it } from 'vitest';
import type { ComponentProps, ReactNode } from 'react';
import type { Job, JobClient, JobItem, JobLog, JobStatus, SubmissionInput } from '@review-jobs/core/client';
import {
  GenerateReviewsButton,
  JobProgress,
  JobsProvider,
  JobsTable,
  useJobClient,
  useJobLogs,
  useJobProgress,
  useJobs,
  useStartJob,
  type JobLabelOverrides,
  type StartedJob,
} from '@review-jobs/react';

declare const client: JobClient;
declare const submission: SubmissionInput;

describe('public API types', () => {
  it('useJobProgress takes a job id or null and returns the live state', () => {
    expectTypeOf(useJobProgress).parameter(0).toEqualTypeOf<string | null>();
    const state = useJobProgress('job-1');
    expectTypeOf(state.job).toEqualTypeOf<Job | null>();
    expectTypeOf(state.items).toEqualTypeOf<readonly JobItem[]>();
    expectTypeOf(state.status).toEqualTypeOf<JobStatus | null>();
    expectTypeOf(state.counts).toEqualTypeOf<{ total: number; completed: number; failed: number }>();
    expectTypeOf(state.elapsedMs).toEqualTypeOf<number | null>();
    expectTypeOf(state.etaMs).toEqualTypeOf<number | null>();
    expectTypeOf(state.cancel).returns.toEqualTypeOf<Promise<Job | undefined>>();
    expectTypeOf(state.retry).returns.toEqualTypeOf<Promise<Job | undefined>>();
  });

  it('the other hooks', () => {
    expectTypeOf(useJobClient()).toEqualTypeOf<JobClient>();
    expectTypeOf(useJobs({ status: ['pending', 'running'], limit: 10 }).jobs).toEqualTypeOf<readonly Job[]>();
    expectTypeOf(useJobs().counts).toEqualTypeOf<Record<JobStatus, number> | null>();
    expectTypeOf(useJobLogs('job-1').logs).toEqualTypeOf<readonly JobLog[]>();
    const starter = useStartJob();
    expectTypeOf(starter.start).parameter(0).toEqualTypeOf<SubmissionInput>();
    expectTypeOf(starter.start).returns.toEqualTypeOf<Promise<StartedJob | null>>();
    expectTypeOf(starter.jobId).toEqualTypeOf<string | null>();
    // @ts-expect-error a status that does not exist
    useJobs({ status: 'done' });
  });

  it('JobsProvider needs a client and knows its locales', () => {
    expectTypeOf<ComponentProps<typeof JobsProvider>['client']>().toEqualTypeOf<JobClient>();
    expectTypeOf<ComponentProps<typeof JobsProvider>['locale']>().toEqualTypeOf<'ko' | 'en' | undefined>();
    expectTypeOf<{ status: { failed: string } }>().toExtend<JobLabelOverrides>();
    // @ts-expect-error no client
    <JobsProvider />;
    // @ts-expect-error unknown locale
    <JobsProvider client={client} locale="ja" />;
  });

  it('GenerateReviewsButton takes the submission whole or as fields, not neither', () => {
    <GenerateReviewsButton submission={submission} onStarted={(started) => expectTypeOf(started).toEqualTypeOf<StartedJob>()} />;
    <GenerateReviewsButton submissionId="s" placeName="p" script="x" count={3} />;
    // @ts-expect-error neither the submission nor its fields
    <GenerateReviewsButton />;
    // @ts-expect-error a field is missing
    <GenerateReviewsButton submissionId="s" placeName="p" script="x" />;
  });

  it('components take className and per-part classNames', () => {
    <JobProgress jobId="job-1" className="card" classNames={{ bar: 'h-2', cancelButton: 'btn' }} />;
    <JobsTable classNames={{ tab: 'px-2', row: 'border-b' }} renderActions={(job) => job.id} />;
    // @ts-expect-error not a part of JobProgress
    <JobProgress jobId="job-1" classNames={{ tab: 'x' }} />;
    expectTypeOf<ComponentProps<typeof JobProgress>['renderResults']>().toEqualTypeOf<
      ((result: { job: Job; items: readonly JobItem[] }) => ReactNode) | undefined
    >();
  });
});
