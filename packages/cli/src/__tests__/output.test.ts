import { describe, expect, it } from 'vitest';
import type { JobItem } from '@review-jobs/core';
import { toCsv } from '../drafts-file.js';
import { formatProgress } from '../progress-bar.js';

const item = (index: number, text: string | null, status: JobItem['status'] = 'succeeded'): JobItem => ({
  jobId: 'j', index, status, text, attempts: 1, error: status === 'failed' ? 'blocked' : null, usage: null, updatedAt: null,
});

describe('toCsv', () => {
  it('quotes commas, quotes and newlines', () => {
    const csv = toCsv([item(1, '맛있어요, "정말"\n또 올게요'), item(2, null, 'failed')]);
    expect(csv.split('\r\n')).toEqual([
      'index,status,attempts,text,error',
      '1,succeeded,1,"맛있어요, ""정말""\n또 올게요",',
      '2,failed,1,,blocked',
      '',
    ]);
  });
});

describe('formatProgress', () => {
  it('shows done, failed, total, rate and ETA', () => {
    const line = formatProgress({ completedItems: 20, failedItems: 5, totalItems: 50 }, 10_000, 10);
    expect(line).toBe('█████░░░░░  50% done 20/50, failed 5, 2.50/s, ETA 10s');
  });

  it('has no ETA before anything is done', () => {
    expect(formatProgress({ completedItems: 0, failedItems: 0, totalItems: 50 }, 0, 4)).toContain('ETA --');
  });
});
