import type { TextGenerator } from '@review-jobs/core';
import { FakeGenerator } from '@review-jobs/core/fake';
import { GeminiGenerator } from '@review-jobs/adapter-gemini';

export interface SimulationSettings {
  timeScale: number;
  faultRate: number;
  seed: number;
}

export interface ChosenGenerator {
  generator: TextGenerator;
  /** One line for the user: which model answers, and why. */
  description: string;
}

/**
 * Real Gemini when GEMINI_API_KEY is set (GEMINI_MODEL picks the model, GEMINI_BASE_URL
 * points it at another endpoint such as the fake Gemini server); otherwise the
 * simulated model, said plainly so nobody mistakes its drafts for Gemini's.
 */
export function generatorFromEnv(
  env: NodeJS.ProcessEnv,
  model: string | undefined,
  simulation: SimulationSettings,
): ChosenGenerator {
  const apiKey = env.GEMINI_API_KEY;
  if (apiKey) {
    const generator = new GeminiGenerator({
      apiKey,
      model: model ?? env.GEMINI_MODEL,
      baseUrl: env.GEMINI_BASE_URL,
    });
    return { generator, description: `Model: ${generator.id} (GEMINI_API_KEY is set)` };
  }
  const generator = new FakeGenerator({
    seed: simulation.seed,
    timeScale: simulation.timeScale,
    faults: { transient: simulation.faultRate },
  });
  return {
    generator,
    description:
      `Model: simulated (no GEMINI_API_KEY set): drafts come from the FakeGenerator, ` +
      `a 12 s call takes ${Math.round(12_000 * simulation.timeScale)} ms`,
  };
}
