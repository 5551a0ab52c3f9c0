import type { GenerateRequest, GenerateResult, TextGenerator } from '@review-jobs/core';
import { FakeGenerator, type FakeGeneratorOptions } from '@review-jobs/core/fake';

/**
 * The demo's simulated model, whose fault rate can be changed while the server runs
 * (POST /api/demo/settings), so the e2e suite can show failed items and a retry that
 * completes them. A change swaps in a new FakeGenerator; calls already in flight finish
 * on the old one.
 */
export class AdjustableFakeGenerator implements TextGenerator {
  readonly id: string;
  #faultRate = 0;
  #inner: FakeGenerator;

  constructor(private readonly options: FakeGeneratorOptions) {
    this.#inner = new FakeGenerator(options);
    this.id = this.#inner.id;
  }

  get faultRate(): number {
    return this.#faultRate;
  }

  /**
   * Share of calls answered `blocked`. Blocked is not retryable, so each such call
   * becomes a failed item at once (a transient fault would just be retried away).
   */
  setFaultRate(rate: number): void {
    this.#faultRate = rate;
    this.#inner = new FakeGenerator({ ...this.options, faults: { ...this.options.faults, blocked: rate } });
  }

  generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    return this.#inner.generate(request, signal);
  }
}
