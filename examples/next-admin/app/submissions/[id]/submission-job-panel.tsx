'use client';
import { useEffect, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { isTerminal, type Job } from '@review-jobs/core';
import { GenerateReviewsButton, JobProgress, useJobProgress } from '@review-jobs/react';
import type { Submission } from '@/lib/submissions';

interface SubmissionJobPanelProps {
  submission: Submission;
  /** Reviews still to generate: the next job's count. */
  remaining: number;
  /** The submission's active or latest job, as the server found it. */
  currentJob: Job | null;
}

/**
 * The plan's flow on one submission: the bulk button while no job is active, and the
 * live progress card of the current job. The button is unmounted while a job runs
 * (it would render a second card of the same job) and comes back once it ends.
 */
export function SubmissionJobPanel({ submission, remaining, currentJob }: SubmissionJobPanelProps) {
  const router = useRouter();
  const [jobId, setJobId] = useState<string | null>(currentJob?.id ?? null);
  const { status } = useJobProgress(jobId);
  // Until the live snapshot arrives: the server's view, or "pending" for a job just started.
  const knownStatus = status ?? (jobId === currentJob?.id ? currentJob.status : jobId ? 'pending' : null);
  const active = knownStatus !== null && !isTerminal(knownStatus);

  // When the job ends, re-read the server's counts (generated, remaining).
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) router.refresh();
    wasActive.current = active;
  }, [active, router]);

  return (
    <div className="submission-job-panel">
      {!active &&
        (remaining > 0 ? (
          <GenerateReviewsButton
            submission={{ submissionId: submission.id, placeName: submission.placeName, script: submission.script, count: remaining }}
            onStarted={(started) => setJobId(started.jobId)}
          />
        ) : (
          <p data-testid="all-generated">모든 리뷰가 이미 생성되었습니다.</p>
        ))}
      {jobId && (
        <div data-testid="current-job" data-job-id={jobId}>
          <JobProgress jobId={jobId} />
        </div>
      )}
    </div>
  );
}
