import Link from 'next/link';
import { listSubmissionSummaries } from '@/lib/submissions';
import { JobStatusText } from './job-status-text';

// Counts change while jobs run: never prerender.
export const dynamic = 'force-dynamic';

export default async function SubmissionsPage() {
  const submissions = await listSubmissionSummaries();
  return (
    <section>
      <h1>제출 목록</h1>
      <table className="submissions-table">
        <thead>
          <tr>
            <th scope="col">장소</th>
            <th scope="col">스크립트</th>
            <th scope="col">요청 리뷰 수</th>
            <th scope="col">생성됨</th>
            <th scope="col">작업</th>
          </tr>
        </thead>
        <tbody>
          {submissions.map((submission) => (
            <tr key={submission.id} data-submission-id={submission.id}>
              <td>
                <Link href={`/submissions/${submission.id}`}>{submission.placeName}</Link>
              </td>
              <td className="submission-script">{submission.script}</td>
              <td data-field="count">{submission.count}</td>
              <td data-field="generated">{submission.generated}</td>
              <td>
                <JobStatusText job={submission.currentJob} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
