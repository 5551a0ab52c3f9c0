export { createJobHandlers } from './create-job-handlers.js';
export type { JobHandler, JobHandlers, JobHandlersOptions } from './create-job-handlers.js';
export type { Authorize, AuthorizeResult, JobAction } from './authorize.js';
export type { JobRunnerApi } from './runner-api.js';
export { toNodeHandler } from './to-node-handler.js';
export type { NodeHandlerOptions } from './to-node-handler.js';
