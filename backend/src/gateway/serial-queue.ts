/**
 * Runs work one piece at a time, in the order given, with at most `limit` pieces waiting or running:
 * past that, `run` refuses (returns `undefined`) and the work is dropped. A socket's subscription
 * changes go through one, so a client that sends them faster than they finish (a slow MongoDB or
 * Redis) is told to slow down instead of growing the gateway's memory without bound. A piece that
 * fails rejects only its own promise, never the ones after it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.pending;
  }

  run(work: () => Promise<void>): Promise<void> | undefined {
    if (this.pending >= this.limit) return undefined;
    this.pending++;
    const done = this.tail.then(work).finally(() => this.pending--);
    this.tail = done.catch(() => undefined);
    return done;
  }
}
