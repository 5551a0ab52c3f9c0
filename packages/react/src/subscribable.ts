/**
 * A set of listeners, TanStack Query's `Subscribable` in miniature. Subclasses hear
 * about their first and last listener, which is where a store opens and closes the
 * connection it is fed by.
 */
export class Subscribable<TListener extends (...args: never[]) => void = () => void> {
  protected readonly listeners = new Set<TListener>();

  /** Arrow property so React can take it as `useSyncExternalStore(store.subscribe, ...)`. */
  readonly subscribe = (listener: TListener): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.onSubscribe();
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) this.onUnsubscribe();
    };
  };

  hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  protected onSubscribe(): void {}

  protected onUnsubscribe(): void {}
}
