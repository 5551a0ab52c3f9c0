/**
 * A one-line terminal progress bar: done, failed, total, rate and ETA. It redraws in
 * place on a TTY and prints a plain line every 10% elsewhere (CI logs stay readable).
 */
/** The job's counters (a Job fits). */
export interface ProgressSnapshot {
  completedItems: number;
  failedItems: number;
  totalItems: number;
}

export interface ProgressBarOptions {
  stream?: NodeJS.WriteStream;
  width?: number;
  now?: () => number;
}

export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly width: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private lastDecile = -1;

  constructor(options: ProgressBarOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.width = options.width ?? 30;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  render(snapshot: ProgressSnapshot): void {
    const line = formatProgress(snapshot, this.now() - this.startedAt, this.width);
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      return;
    }
    const done = snapshot.completedItems + snapshot.failedItems;
    const decile = snapshot.totalItems === 0 ? 10 : Math.floor((done / snapshot.totalItems) * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${line}\n`);
    }
  }

  /** Ends the redrawn line so the next output starts on its own line. */
  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

export function formatProgress(snapshot: ProgressSnapshot, elapsedMs: number, width: number): string {
  const { completedItems: completed, failedItems: failed, totalItems: total } = snapshot;
  const done = completed + failed;
  const ratio = total === 0 ? 1 : done / total;
  const filled = Math.round(ratio * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const perSecond = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const etaSeconds = perSecond > 0 ? (total - done) / perSecond : Number.NaN;
  return (
    `${bar} ${String(Math.round(ratio * 100)).padStart(3)}% ` +
    `done ${completed}/${total}, failed ${failed}, ` +
    `${perSecond.toFixed(2)}/s, ETA ${formatSeconds(etaSeconds)}`
  );
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}
