'use client';
import type { JobStatus } from '@review-jobs/core/client';
import type { JobLabels } from '../labels/job-labels.js';

/** The status word, with `data-status` for colour. */
export function StatusBadge({ status, labels, className }: { status: JobStatus; labels: JobLabels; className: string }) {
  return (
    <span className={className} data-status={status}>
      {labels.status[status]}
    </span>
  );
}
