'use client';
import { partClass, type ClassNames } from '../class-names.js';
import { useJobLabels } from '../jobs-provider.js';
import { useJobLogs, type UseJobLogsOptions } from '../use-job-logs.js';
import { Timestamp } from './timestamp.js';

export type JobLogsPart = 'root' | 'summary' | 'list' | 'line' | 'time' | 'message';

export interface JobLogsProps extends UseJobLogsOptions {
  jobId: string;
  /** Start expanded. Default false (the plan's collapsed section). */
  defaultOpen?: boolean;
  className?: string;
  classNames?: ClassNames<JobLogsPart>;
}

const BLOCK = 'job-logs';

/** The job's log as a collapsible section, newest first, each line with `data-level`. */
export function JobLogs({ jobId, defaultOpen = false, className, classNames, ...options }: JobLogsProps) {
  const labels = useJobLabels();
  const { logs } = useJobLogs(jobId, options);
  const cls = (part: JobLogsPart) => partClass(BLOCK, part, classNames, className);
  return (
    <details className={cls('root')} data-count={logs.length} open={defaultOpen}>
      <summary className={cls('summary')}>{labels.logsTitle(logs.length)}</summary>
      <ol className={cls('list')}>
        {logs.map((log) => (
          <li key={log.id} className={cls('line')} data-level={log.level}>
            <Timestamp iso={log.createdAt} locale={labels.dateLocale} className={cls('time')} />{' '}
            <span className={cls('message')}>{log.message}</span>
          </li>
        ))}
      </ol>
    </details>
  );
}
