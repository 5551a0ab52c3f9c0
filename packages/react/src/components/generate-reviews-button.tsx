'use client';
import type { SubmissionInput } from '@review-jobs/core/client';
import { partClass, type ClassNames } from '../class-names.js';
import { useJobLabels } from '../jobs-provider.js';
import { useJobProgress } from '../use-job-progress.js';
import { useStartJob, type StartedJob } from '../use-start-job.js';
import { JobProgress, type JobProgressProps } from './job-progress.js';

export type GenerateReviewsButtonPart = 'root' | 'button' | 'error' | 'progress';

interface GenerateReviewsButtonBaseProps {
  /** Called once the job is started, or an active job for the submission adopted. */
  onStarted?: (started: StartedJob) => void;
  className?: string;
  classNames?: ClassNames<GenerateReviewsButtonPart>;
  /** Passed to the <JobProgress> rendered under the button. */
  progressProps?: Omit<JobProgressProps, 'jobId'>;
}

/** Either the whole `submission`, or its fields as props (`submissionId`, `placeName`, ...). */
export type GenerateReviewsButtonProps = GenerateReviewsButtonBaseProps &
  ({ submission: SubmissionInput } | (SubmissionInput & { submission?: undefined }));

const BLOCK = 'generate-reviews';

/** The plan's button: starts the job, says why when refused, then shows its progress. */
export function GenerateReviewsButton(props: GenerateReviewsButtonProps) {
  const { onStarted, className, classNames, progressProps } = props;
  const labels = useJobLabels();
  const { start, isStarting, error, jobId } = useStartJob();
  const { status } = useJobProgress(jobId);
  const generating = status === 'pending' || status === 'running';
  const cls = (part: GenerateReviewsButtonPart) => partClass(BLOCK, part, classNames, className);

  const onClick = async () => {
    const started = await start(submissionOf(props));
    if (started) onStarted?.(started);
  };

  return (
    <div className={cls('root')} data-status={isStarting ? 'starting' : (status ?? 'idle')}>
      <button
        type="button"
        className={cls('button')}
        onClick={() => void onClick()}
        disabled={isStarting || generating}
        aria-busy={isStarting || generating}
      >
        {isStarting ? labels.starting : generating ? labels.generating : labels.generate}
      </button>
      {error && (
        <div className={cls('error')} role="alert">
          <p>
            {labels.startFailed}: {error.message}
          </p>
          <FieldErrors error={error} />
        </div>
      )}
      {jobId && (
        <JobProgress
          jobId={jobId}
          {...progressProps}
          className={[cls('progress'), progressProps?.className].filter(Boolean).join(' ')}
        />
      )}
    </div>
  );
}

function FieldErrors({ error }: { error: Error }) {
  const fieldErrors = (error as { fieldErrors?: Record<string, string[]> }).fieldErrors;
  if (!fieldErrors) return null;
  const entries = Object.entries(fieldErrors);
  if (entries.length === 0) return null;
  return (
    <ul>
      {entries.map(([field, messages]) => (
        <li key={field} data-field={field}>
          {field}: {messages.join(', ')}
        </li>
      ))}
    </ul>
  );
}

const SUBMISSION_FIELDS = ['submissionId', 'placeName', 'script', 'count', 'model', 'promptTemplate', 'temperature'] as const;

function submissionOf(props: GenerateReviewsButtonProps): SubmissionInput {
  if (props.submission) return props.submission;
  // Only the submission's own fields, and only those given: the server's schema is
  // strict and would refuse `className` or `classNames` as unknown fields.
  const flat = props as Partial<SubmissionInput>;
  const fields: Record<string, unknown> = {};
  for (const key of SUBMISSION_FIELDS) {
    if (flat[key] !== undefined) fields[key] = flat[key];
  }
  return fields as SubmissionInput;
}
