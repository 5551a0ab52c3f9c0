import type { ReviewJobRunner } from '../runner.js';

/**
 * What the handlers use of a ReviewJobRunner (a type-only import: nothing of the
 * runner is bundled through this). A test or a host facade can pass anything of that
 * shape.
 */
export type JobRunnerApi = Pick<
  ReviewJobRunner,
  'start' | 'getJob' | 'listItems' | 'listJobs' | 'countJobs' | 'listLogs' | 'cancel' | 'retry' | 'on' | 'off'
>;
