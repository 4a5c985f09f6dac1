/** A store React reads with `useSyncExternalStore`: listeners, and a version bumped on every change. */
export class Observable {
  /** Bumped on every change. */
  version = 0;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  protected unsubscribeAll(): void {
    this.listeners.clear();
  }
}
