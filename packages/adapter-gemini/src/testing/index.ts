export { startFakeGemini } from './fake-gemini-server.js';
export type {
  FakeFault,
  FakeGemini,
  FakeGeminiCall,
  FakeGeminiOptions,
  FakeGeminiStats,
  FakeLatency,
  FaultPlan,
} from './fake-gemini-server.js';
export { findPlaceName } from './find-place-name.js';
export { koreanReviewText } from './korean-review-text.js';
