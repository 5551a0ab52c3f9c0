// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { JobClient } from '@review-jobs/core/client';
import { GenerateReviewsButton, JobLogs, JobProgress, JobsProvider, JobsTable, type JobsLocale } from '@review-jobs/react';
import { FakeJobClient } from './fake-job-client.js';

const submission = { submissionId: 'sub-1', placeName: '카페', script: '맛있음', count: 3 };

describe('server rendering', () => {
  it('runs without a window', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it('renders every component to HTML without opening a watch or fetching', () => {
    const client = new FakeJobClient();
    const html = renderToString(
      <JobsProvider client={client}>
        <GenerateReviewsButton submission={submission} />
        <JobProgress jobId="job-1" />
        <JobLogs jobId="job-1" />
        <JobsTable />
      </JobsProvider>,
    );
    expect(html).toContain('AI 리뷰 일괄 생성');
    expect(html).toContain('data-status="loading"');
    expect(html).toContain('작업 로그 (0)');
    expect(html).toContain('role="tablist"');
    expect(html).toContain('불러오는 중...');
    expect(client.watchJob).not.toHaveBeenCalled();
    expect(client.listJobs).not.toHaveBeenCalled();
    expect(client.listLogs).not.toHaveBeenCalled();
  });

  it('renders in English too', () => {
    const html = renderToString(
      <JobsProvider client={new FakeJobClient()} locale="en">
        <GenerateReviewsButton {...submission} />
        <JobsTable />
      </JobsProvider>,
    );
    expect(html).toContain('Generate AI reviews in bulk');
    expect(html).toContain('Background jobs');
  });

  it('says clearly when a component is used outside <JobsProvider>, or the provider is misused', () => {
    expect(() => renderToString(<JobProgress jobId="job-1" />)).toThrow(/inside <JobsProvider/);
    const notAClient = {} as JobClient;
    expect(() => renderToString(<JobsProvider client={notAClient} />)).toThrow(/`client` must be a JobClient/);
    const badLocale = 'ja' as JobsLocale;
    expect(() => renderToString(<JobsProvider client={new FakeJobClient()} locale={badLocale} />)).toThrow(/`locale` must be "ko" or "en"/);
  });
});
