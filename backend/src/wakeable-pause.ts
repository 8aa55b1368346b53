/**
 * The pause between a background loop's passes, which `wake()` cuts short: a nudge (work arrived)
 * or a stop ends the current pause at once instead of after its full length.
 */
export class WakeablePause {
  private wakeCurrent: (() => void) | null = null;

  /** Resolves after `ms`, or as soon as `wake()` is called. */
  for(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeCurrent = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeCurrent = done;
    });
  }

  wake(): void {
    this.wakeCurrent?.();
  }
}
