/** The job id names no job in the store (HTTP maps it to 404). */
export class JobNotFoundError extends Error {
  override readonly name = 'JobNotFoundError';
  constructor(readonly jobId: string) {
    super(`No job with id "${jobId}"`);
  }
}
