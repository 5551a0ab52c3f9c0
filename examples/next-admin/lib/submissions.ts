import 'server-only';
import { ACTIVE_STATUSES, type Job } from '@review-jobs/core';
import { getReviewJobs } from './review-jobs';

/** A business's order: a place, the talking points, how many reviews it wants. */
export interface Submission {
  id: string;
  placeName: string;
  script: string;
  count: number;
}

export interface SubmissionSummary extends Submission {
  /** Succeeded items over all of the submission's jobs: the reviews that exist. */
  generated: number;
  /** The active job, else the newest one; null before the first job. */
  currentJob: Job | null;
}

// The example has no submissions table of its own (the plan's kakaomap_submissions):
// a real app loads these from its database.
const SUBMISSIONS: readonly Submission[] = [
  { id: 'sub-seongsu-cafe', placeName: '성수동 카페 온도', script: '핸드드립 커피가 맛있고 창가 자리가 조용함. 직원이 친절함', count: 50 },
  { id: 'sub-mangwon-bakery', placeName: '망원동 베이커리 밀도', script: '소금빵이 유명하고 아침 일찍 가야 갓 구운 빵을 살 수 있음. 포장이 꼼꼼함', count: 50 },
  { id: 'sub-yeonnam-pasta', placeName: '연남동 파스타 바 루치아', script: '생면 파스타가 쫄깃하고 와인 페어링 추천이 좋음. 예약 필수', count: 30 },
  { id: 'sub-jeju-guesthouse', placeName: '제주 애월 게스트하우스 바람', script: '바다가 보이는 방, 조식으로 나오는 귤잼 토스트가 인상적. 사장님이 여행 코스를 알려줌', count: 20 },
  { id: 'sub-busan-gukbap', placeName: '부산 서면 돼지국밥 할매집', script: '국물이 진하고 잡내가 없음. 24시간 영업이라 늦은 밤에도 좋음', count: 20 },
  { id: 'sub-hongdae-ramen', placeName: '홍대 라멘 스미레', script: '돈코츠 국물이 진하고 차슈가 두툼함. 점심 웨이팅이 있음', count: 10 },
];

export function getSubmission(id: string): Submission | undefined {
  return SUBMISSIONS.find((submission) => submission.id === id);
}

export async function listSubmissionSummaries(): Promise<SubmissionSummary[]> {
  const jobs = await recentJobs();
  return SUBMISSIONS.map((submission) => summarize(submission, jobs));
}

export async function getSubmissionSummary(id: string): Promise<SubmissionSummary | undefined> {
  const submission = getSubmission(id);
  return submission && summarize(submission, await recentJobs());
}

function summarize(submission: Submission, jobs: readonly Job[]): SubmissionSummary {
  const own = jobs.filter((job) => job.submissionId === submission.id);
  return {
    ...submission,
    generated: own.reduce((sum, job) => sum + job.completedItems, 0),
    currentJob: own.find((job) => ACTIVE_STATUSES.includes(job.status)) ?? own[0] ?? null,
  };
}

/**
 * The newest jobs, newest first. The store lists jobs by status and creator, not by
 * submission, so the example reads the recent ones and groups them; an app with its
 * own submissions table would keep the job id on the submission row instead.
 */
async function recentJobs(): Promise<Job[]> {
  const { runner } = getReviewJobs();
  const page = await runner.listJobs({ limit: 200 });
  return page.rows;
}
