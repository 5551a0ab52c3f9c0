'use client';
import Link from 'next/link';
import { JobsTable } from '@review-jobs/react';

/** Client side because each row's link is rendered by a function prop. */
export function AdminJobsTable() {
  return <JobsTable refreshIntervalMs={2000} renderActions={(job) => <Link href={`/submissions/${job.submissionId}`}>열기</Link>} />;
}
