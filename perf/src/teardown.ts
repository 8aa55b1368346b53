import { progress } from './progress';

/**
 * Everything the bench starts registers how to stop it here; `run` stops it all, newest first,
 * once, whether the bench finished, failed or was interrupted.
 */
export class Teardown {
  private readonly steps: { name: string; stop: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  /** Registers a stop step; returns a function that runs just that step now (and forgets it). */
  add(name: string, stop: () => Promise<void>): () => Promise<void> {
    const step = { name, stop };
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index === -1) return;
      this.steps.splice(index, 1);
      await step.stop();
    };
  }

  run(): Promise<void> {
    return (this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop()!;
        try {
          await step.stop();
        } catch (error) {
          progress(`stopping ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })());
  }
}
