'use client';
import type { ReactNode } from 'react';
import { isTerminal, type Job, type JobItem } from '@review-jobs/core/client';
import { partClass, type ClassNames } from '../class-names.js';
import { useJobLabels } from '../jobs-provider.js';
import { useJobProgress } from '../use-job-progress.js';
import { JobLogs } from './job-logs.js';
import { ProgressBar } from './progress-bar.js';
import { StatusBadge } from './status-badge.js';
import { Timestamp } from './timestamp.js';

export type JobProgressPart =
  | 'root'
  | 'header'
  | 'title'
  | 'badge'
  | 'message'
  | 'bar'
  | 'barFill'
  | 'percent'
  | 'stats'
  | 'stat'
  | 'times'
  | 'alert'
  | 'actions'
  | 'cancelButton'
  | 'retryButton'
  | 'items'
  | 'item'
  | 'results'
  | 'logs';

export interface JobProgressProps {
  jobId: string;
  className?: string;
  classNames?: ClassNames<JobProgressPart>;
  /** The "see results" slot, shown once the job completed. */
  renderResults?: (result: { job: Job; items: readonly JobItem[] }) => ReactNode;
  /** Without `renderResults`: a "see results" link to this address when completed. */
  resultsHref?: string;
  /** List the items (reviews) as they arrive. Default true. */
  showItems?: boolean;
  /** Render <JobLogs> below. Default true. */
  showLogs?: boolean;
}

const BLOCK = 'job-progress';

/** Live progress of one job: status, bar, counts, times, errors, cancel/retry, items, logs. */
export function JobProgress({
  jobId,
  className,
  classNames,
  renderResults,
  resultsHref,
  showItems = true,
  showLogs = true,
}: JobProgressProps) {
  const labels = useJobLabels();
  const state = useJobProgress(jobId);
  const { job, status, error } = state;
  const cls = (part: JobProgressPart) => partClass(BLOCK, part, classNames, className);

  if (!job || !status) {
    return (
      <section className={cls('root')} data-status="loading" data-job-id={jobId}>
        {error ? (
          <p className={cls('alert')} role="alert">
            {labels.loadFailed}: {error.message}
          </p>
        ) : (
          <p className={cls('message')}>{labels.loading}</p>
        )}
      </section>
    );
  }

  const active = !isTerminal(status);
  const finishedItems = state.items.filter((item) => item.status !== 'pending');
  const stats = [
    ['total', labels.total, state.counts.total],
    ['completed', labels.completed, state.counts.completed],
    ['failed', labels.failed, state.counts.failed],
  ] as const;

  return (
    <section
      className={cls('root')}
      data-status={status}
      data-job-id={jobId}
      data-live={state.isLive ? 'true' : 'false'}
      aria-busy={active}
    >
      <header className={cls('header')}>
        <h3 className={cls('title')}>{labels.progressTitle}</h3>
        <StatusBadge status={status} labels={labels} className={cls('badge')} />
      </header>

      <ProgressBar value={state.progress} label={labels.progress} className={cls('bar')} fillClassName={cls('barFill')} />
      <p className={cls('percent')}>
        {labels.progress} {state.progress}%
      </p>

      <dl className={cls('stats')}>
        {stats.map(([key, label, value]) => (
          <div key={key} className={cls('stat')} data-stat={key}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>

      <dl className={cls('times')}>
        {job.startedAt && (
          <div data-time="started">
            <dt>{labels.startedAt}</dt>
            <dd>
              <Timestamp iso={job.startedAt} locale={labels.dateLocale} />
            </dd>
          </div>
        )}
        {status === 'running' && state.elapsedMs !== null && (
          <div data-time="elapsed">
            <dt>{labels.elapsed}</dt>
            <dd>{labels.duration(state.elapsedMs)}</dd>
          </div>
        )}
        {status === 'running' && state.etaMs !== null && (
          <div data-time="eta">
            <dt>{labels.eta}</dt>
            <dd>{labels.duration(state.etaMs)}</dd>
          </div>
        )}
        {!active && job.finishedAt && (
          <div data-time="finished">
            <dt>{labels.finishedAt}</dt>
            <dd>
              <Timestamp iso={job.finishedAt} locale={labels.dateLocale} />
            </dd>
          </div>
        )}
      </dl>

      {(status === 'failed' || error) && (
        <div className={cls('alert')} role="alert">
          <strong>{labels.errorTitle}</strong>
          {status === 'failed' && <p data-error="job">{job.errorMessage ?? labels.status.failed}</p>}
          {error && <p data-error="client">{error.message}</p>}
        </div>
      )}

      <div className={cls('actions')}>
        {active && (
          <button
            type="button"
            className={cls('cancelButton')}
            onClick={() => void state.cancel()}
            disabled={state.pendingAction !== null || job.cancelRequestedAt !== null}
          >
            {labels.cancel}
          </button>
        )}
        {canRetry(job) && (
          <button
            type="button"
            className={cls('retryButton')}
            onClick={() => void state.retry()}
            disabled={state.pendingAction !== null}
          >
            {labels.retry}
          </button>
        )}
        {status === 'completed' &&
          (renderResults ? (
            <div className={cls('results')}>{renderResults({ job, items: state.items })}</div>
          ) : resultsHref ? (
            <a className={cls('results')} href={resultsHref}>
              {labels.seeResults}
            </a>
          ) : null)}
      </div>

      {showItems && finishedItems.length > 0 && (
        <ol className={cls('items')} aria-label={labels.results}>
          {finishedItems.map((item) => (
            <li key={item.index} className={cls('item')} data-status={item.status} value={item.index}>
              {item.status === 'succeeded' ? item.text : `${labels.itemFailed}: ${item.error ?? ''}`}
            </li>
          ))}
        </ol>
      )}

      {showLogs && <JobLogs jobId={jobId} className={classNames?.logs} />}
    </section>
  );
}

/** Retry runs the failed and unfinished items again, within the job's retry budget. */
function canRetry(job: Job): boolean {
  if (!isTerminal(job.status) || job.retryCount >= job.maxRetries) return false;
  return job.status === 'failed' || job.failedItems > 0 || job.completedItems < job.totalItems;
}
