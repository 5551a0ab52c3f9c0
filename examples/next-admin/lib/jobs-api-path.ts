/** Where the catch-all route mounts the job API; the server handlers and the browser client share it. */
export const JOBS_API_BASE_PATH = '/api/review-jobs';
