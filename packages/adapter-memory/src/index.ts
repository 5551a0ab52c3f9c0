export { MemoryJobStore } from './memory-job-store.js';
export type { MemoryJobStoreOptions } from './memory-job-store.js';
