import { parseArgs } from 'node:util';

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage:
  review-jobs generate --place "<name>" --script "<talking points>" [--count 50]
                       [--concurrency 10] [--rpm N] [--tpm N] [--out drafts.json|drafts.csv]
                       [--model <gemini model>] [--time-scale 0.1] [--fault-rate 0] [--seed N]
  review-jobs worker   [--concurrency 10] [--rpm N] [--tpm N] [--time-scale 1]

Without GEMINI_API_KEY the simulated model is used (--time-scale, --fault-rate, --seed
apply to it). The worker needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY.`;

export interface GenerateArgs {
  place: string;
  script: string;
  count: number;
  concurrency: number;
  rpm: number | undefined;
  tpm: number | undefined;
  out: string | undefined;
  model: string | undefined;
  timeScale: number;
  faultRate: number;
  seed: number;
}

export interface WorkerArgs {
  concurrency: number;
  rpm: number | undefined;
  tpm: number | undefined;
  /** For the simulated model only (no GEMINI_API_KEY). */
  timeScale: number;
}

export type CliCommand = { name: 'generate'; args: GenerateArgs } | { name: 'worker'; args: WorkerArgs } | { name: 'help' };

const NUMBER_FLAGS = ['count', 'concurrency', 'rpm', 'tpm', 'time-scale', 'fault-rate', 'seed'] as const;

/** Every flag is read as a string; numbers are parsed afterwards with their ranges. */
function readFlags(args: string[]): Record<string, string | undefined> {
  try {
    return parseArgs({
      args,
      strict: true,
      options: {
        place: { type: 'string' },
        script: { type: 'string' },
        out: { type: 'string' },
        model: { type: 'string' },
        ...Object.fromEntries(NUMBER_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
      },
    }).values as Record<string, string | undefined>;
  } catch (error) {
    // node:util reports unknown flags and missing values as TypeErrors: same exit as ours.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function parseCommand(argv: readonly string[]): CliCommand {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return { name: 'help' };
  if (name !== 'generate' && name !== 'worker') throw new UsageError(`unknown command "${name}"`);

  const values = readFlags(rest);
  const number = (flag: (typeof NUMBER_FLAGS)[number], fallback: number | undefined, min: number, max: number) => {
    const raw = values[flag];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      throw new UsageError(`--${flag} must be a number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  const integer = (flag: (typeof NUMBER_FLAGS)[number], fallback: number | undefined, min: number, max: number) => {
    const value = number(flag, fallback, min, max);
    if (value !== undefined && !Number.isInteger(value)) throw new UsageError(`--${flag} must be a whole number`);
    return value;
  };

  const concurrency = integer('concurrency', 10, 1, 1000) as number;
  const rpm = integer('rpm', undefined, 1, 1_000_000);
  const tpm = integer('tpm', undefined, 1, 1_000_000_000);
  const timeScale = number('time-scale', name === 'worker' ? 1 : 0.1, 0.0001, 1) as number;
  if (name === 'worker') return { name, args: { concurrency, rpm, tpm, timeScale } };

  const place = values.place?.trim();
  const script = values.script?.trim();
  if (!place) throw new UsageError('--place is required (the place name)');
  if (!script) throw new UsageError('--script is required (what the reviews should mention)');
  return {
    name,
    args: {
      place,
      script,
      count: integer('count', 50, 1, 500) as number,
      concurrency,
      rpm,
      tpm,
      out: values.out,
      model: values.model,
      timeScale,
      faultRate: number('fault-rate', 0, 0, 1) as number,
      seed: integer('seed', Date.now() % 1_000_000, 0, Number.MAX_SAFE_INTEGER) as number,
    },
  };
}
