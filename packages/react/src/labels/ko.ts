import { splitDuration, type JobLabels } from './job-labels.js';

/** Korean, the default: the admins are Korean. Wording from the original plan. */
export const koLabels: JobLabels = {
  dateLocale: 'ko-KR',
  status: { pending: '대기 중', running: '진행 중', completed: '완료', failed: '실패', cancelled: '취소됨' },
  loading: '불러오는 중...',
  loadFailed: '진행률 조회 실패',
  progressTitle: 'AI 리뷰 생성 진행률',
  progress: '진행률',
  total: '전체',
  completed: '완료',
  failed: '실패',
  startedAt: '시작 시간',
  elapsed: '경과 시간',
  eta: '남은 시간(예상)',
  finishedAt: '종료 시간',
  errorTitle: '오류 발생',
  cancel: '취소',
  retry: '재시도',
  seeResults: '결과 보기',
  results: '생성된 리뷰',
  itemFailed: '실패',
  logsTitle: (count) => `작업 로그 (${count})`,
  generate: 'AI 리뷰 일괄 생성',
  starting: '시작 중...',
  generating: '생성 중...',
  startFailed: '작업 시작 실패',
  jobsTitle: '백그라운드 작업 관리',
  tabs: { all: '전체', running: '진행 중', completed: '완료', failed: '실패' },
  runningCount: (count) => `진행 중: ${count}`,
  pendingCount: (count) => `대기 중: ${count}`,
  createdAt: '생성 시간',
  submission: '제출',
  statusColumn: '상태',
  counts: '완료 / 실패 / 전체',
  noJobs: '작업이 없습니다.',
  duration: (ms) => {
    const { hours, minutes, seconds } = splitDuration(ms);
    if (hours > 0) return `${hours}시간 ${minutes}분`;
    if (minutes > 0) return `${minutes}분 ${seconds}초`;
    return `${seconds}초`;
  },
};
