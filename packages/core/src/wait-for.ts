export interface WaitForOptions<T> {
  /** Push side: call `settle` when the value shows up; returns an unsubscribe. */
  subscribe: (settle: (value: T) => void) => () => void;
  /** Pull side: the value, or undefined when not there yet. A throw rejects the wait. */
  poll: () => Promise<T | undefined>;
  pollIntervalMs: number;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** For the timeout message ("job 123"). */
  what: string;
}

/**
 * Wait for a value that may arrive as an event (this process) or only be visible by
 * reading (another process). Subscribes before the first read so nothing falls in
 * between, and leaves no listener or timer behind however it ends.
 */
export function waitFor<T>(options: WaitForOptions<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let over = false;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;
    let timeoutTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (outcome: () => void) => {
      if (over) return;
      over = true;
      unsubscribe();
      clearTimeout(pollTimer);
      clearTimeout(timeoutTimer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = () => finish(() => reject(options.signal?.reason));
    const unsubscribe = options.subscribe((value) => finish(() => resolve(value)));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    if (options.timeoutMs !== undefined) {
      timeoutTimer = setTimeout(
        () => finish(() => reject(new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.what}`))),
        options.timeoutMs,
      );
    }
    const poll = () => {
      options.poll().then(
        (value) => {
          if (over) return;
          if (value !== undefined) finish(() => resolve(value));
          else pollTimer = setTimeout(poll, options.pollIntervalMs);
        },
        (error: unknown) => finish(() => reject(error)),
      );
    };
    poll();
  });
}
