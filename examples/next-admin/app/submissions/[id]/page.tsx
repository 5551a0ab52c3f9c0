import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getSubmissionSummary } from '@/lib/submissions';
import { SubmissionJobPanel } from './submission-job-panel';

export const dynamic = 'force-dynamic';

export default async function SubmissionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const submission = await getSubmissionSummary(id);
  if (!submission) notFound();
  const { currentJob, generated, ...fields } = submission;
  return (
    <section data-submission-id={submission.id}>
      <p>
        <Link href="/submissions">← 제출 목록</Link>
      </p>
      <h1>{submission.placeName}</h1>
      <dl className="submission-facts">
        <dt>스크립트</dt>
        <dd>{submission.script}</dd>
        <dt>요청 리뷰 수</dt>
        <dd data-field="count">{submission.count}</dd>
        <dt>생성됨</dt>
        <dd data-field="generated">{generated}</dd>
      </dl>
      {/* The server found the submission's active (or latest) job: coming back to this
          page shows the same job, still running, without any client-side memory. */}
      <SubmissionJobPanel submission={fields} remaining={Math.max(0, submission.count - generated)} currentJob={currentJob} />
    </section>
  );
}
