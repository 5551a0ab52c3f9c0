'use client';
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Job, JobStatus } from '@review-jobs/core/client';
import { partClass, type ClassNames } from '../class-names.js';
import { useJobLabels } from '../jobs-provider.js';
import type { JobsTableTab } from '../labels/job-labels.js';
import { useJobs, type JobsFilter, type UseJobsOptions } from '../use-jobs.js';
import { ProgressBar } from './progress-bar.js';
import { StatusBadge } from './status-badge.js';
import { Timestamp } from './timestamp.js';

export type JobsTablePart =
  | 'root'
  | 'header'
  | 'title'
  | 'summary'
  | 'countBadge'
  | 'tabs'
  | 'tab'
  | 'panel'
  | 'message'
  | 'table'
  | 'row'
  | 'cell'
  | 'badge'
  | 'bar'
  | 'barFill';

export interface JobsTableProps extends UseJobsOptions {
  /** Only this creator's jobs. */
  createdBy?: string;
  /** Rows per tab. Default 50, the plan's "latest 50". */
  limit?: number;
  /** Extra last cell per row, e.g. a link to the job's page. */
  renderActions?: (job: Job) => ReactNode;
  className?: string;
  classNames?: ClassNames<JobsTablePart>;
}

/** "running" holds every active job: a pending job is about to run, and it belongs with them. */
const TAB_STATUSES: Record<JobsTableTab, JobStatus | JobStatus[] | undefined> = {
  all: undefined,
  running: ['pending', 'running'],
  completed: 'completed',
  failed: 'failed',
};
const TABS = Object.keys(TAB_STATUSES) as JobsTableTab[];
const BLOCK = 'jobs-table';

/** The admin list: running/pending counts, tabs all/running/completed/failed, newest first. */
export function JobsTable({ createdBy, limit = 50, renderActions, className, classNames, ...options }: JobsTableProps) {
  const labels = useJobLabels();
  const [tab, setTab] = useState<JobsTableTab>('all');
  const filter: JobsFilter = { limit };
  const status = TAB_STATUSES[tab];
  if (status !== undefined) filter.status = status;
  if (createdBy !== undefined) filter.createdBy = createdBy;
  const { jobs, counts, isLoading, error } = useJobs(filter, options);
  const id = useId();
  const tabRefs = useRef(new Map<JobsTableTab, HTMLButtonElement>());
  const cls = (part: JobsTablePart) => partClass(BLOCK, part, classNames, className);

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onTabKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length] ?? 'all';
    setTab(next);
    tabRefs.current.get(next)?.focus();
  };

  const columns = [labels.createdAt, labels.submission, labels.statusColumn, labels.progress, labels.counts];
  return (
    <section className={cls('root')} data-tab={tab}>
      <header className={cls('header')}>
        <h2 className={cls('title')}>{labels.jobsTitle}</h2>
        <div className={cls('summary')}>
          <span className={cls('countBadge')} data-status="running">
            {labels.runningCount(counts?.running ?? 0)}
          </span>
          <span className={cls('countBadge')} data-status="pending">
            {labels.pendingCount(counts?.pending ?? 0)}
          </span>
        </div>
      </header>

      <div className={cls('tabs')} role="tablist" aria-label={labels.jobsTitle} onKeyDown={onTabKeyDown}>
        {TABS.map((value) => (
          <button
            key={value}
            ref={(element) => {
              if (element) tabRefs.current.set(value, element);
              else tabRefs.current.delete(value);
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${value}`}
            aria-controls={`${id}-panel`}
            aria-selected={tab === value}
            tabIndex={tab === value ? 0 : -1}
            className={cls('tab')}
            data-tab={value}
            onClick={() => setTab(value)}
          >
            {labels.tabs[value]}
          </button>
        ))}
      </div>

      <div className={cls('panel')} role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${tab}`}>
        {error ? (
          <p className={cls('message')} role="alert">
            {labels.loadFailed}: {error.message}
          </p>
        ) : isLoading ? (
          <p className={cls('message')}>{labels.loading}</p>
        ) : jobs.length === 0 ? (
          <p className={cls('message')}>{labels.noJobs}</p>
        ) : (
          <table className={cls('table')}>
            <thead>
              <tr>
                {columns.map((column, index) => (
                  <th key={index} scope="col">
                    {column}
                  </th>
                ))}
                {renderActions && <th scope="col" />}
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} className={cls('row')} data-status={job.status} data-job-id={job.id}>
                  <td className={cls('cell')}>
                    <Timestamp iso={job.createdAt} locale={labels.dateLocale} />
                  </td>
                  <td className={cls('cell')}>
                    <span data-field="placeName">{job.payload.placeName}</span>{' '}
                    <small data-field="submissionId">{job.submissionId}</small>
                  </td>
                  <td className={cls('cell')}>
                    <StatusBadge status={job.status} labels={labels} className={cls('badge')} />
                  </td>
                  <td className={cls('cell')}>
                    <ProgressBar
                      value={job.progress}
                      label={`${labels.progress} ${job.payload.placeName}`}
                      className={cls('bar')}
                      fillClassName={cls('barFill')}
                    />{' '}
                    {job.progress}%
                  </td>
                  <td className={cls('cell')} data-field="counts">
                    {job.completedItems} / {job.failedItems} / {job.totalItems}
                  </td>
                  {renderActions && <td className={cls('cell')}>{renderActions(job)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
