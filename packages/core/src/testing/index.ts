export { runJobStoreTests } from './run-job-store-tests.js';
export type { JobStoreTestOptions } from './run-job-store-tests.js';
export { FakeGenerator } from './fake-generator.js';
export type { FakeGeneratorOptions, FaultProfile } from './fake-generator.js';
export { lognormal, pick, seededRandom } from './seeded-random.js';
export type { Random } from './seeded-random.js';
