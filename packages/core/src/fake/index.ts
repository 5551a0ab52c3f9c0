// The simulated model on its own subpath: demos and CLIs run it in production builds
// where vitest (which `@review-jobs/core/testing` needs for its conformance suite) is
// not installed. `@review-jobs/core/testing` re-exports it for tests.
export { FakeGenerator } from '../testing/fake-generator.js';
export type { FakeGeneratorOptions, FaultProfile } from '../testing/fake-generator.js';
export { lognormal, pick, seededRandom } from '../testing/seeded-random.js';
export type { Random } from '../testing/seeded-random.js';
