export { runJobStoreTests } from './run-job-store-tests.js';
export type { JobStoreTestOptions } from './run-job-store-tests.js';
export { FakeGenerator } from './fake-generator.js';
export type { FakeGeneratorOptions, FaultProfile } from './fake-generator.js';
