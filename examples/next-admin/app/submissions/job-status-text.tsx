'use client';
import type { Job } from '@review-jobs/core';
import { useJobLabels } from '@review-jobs/react';

/** The submission's current job in a few words (a snapshot from the server render). */
export function JobStatusText({ job }: { job: Job | null }) {
  const labels = useJobLabels();
  if (!job) return <span data-status="none">-</span>;
  return (
    <span data-status={job.status}>
      {labels.status[job.status]} ({job.progress}%)
    </span>
  );
}
