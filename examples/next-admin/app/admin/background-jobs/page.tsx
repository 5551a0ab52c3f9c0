import { AdminJobsTable } from './admin-jobs-table';

export const dynamic = 'force-dynamic';

/** The plan's phase 5: "백그라운드 작업 관리", tabs all / running / completed / failed. */
export default function BackgroundJobsPage() {
  return <AdminJobsTable />;
}
