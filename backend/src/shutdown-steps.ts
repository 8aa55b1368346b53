import type { Logger } from 'pino';
import { withDeadline } from '@flightdeck/workers';

/**
 * How long a shutdown may take beyond `SHUTDOWN_TIMEOUT_MS` (the drain of sockets and jobs): the
 * hand-back of jobs still running, then closing queues, Redis, MongoDB and the embedded services.
 * Each of those steps is bounded, and together they end within this, whatever is unreachable.
 */
export const SHUTDOWN_SLACK_MS = 5_000;

/**
 * When the last-resort timer ends the process, counted from the signal: the shutdown's own bound,
 * plus a little, so that it fires only if something escaped the bounds (a step that blocks the
 * event loop, a bug).
 */
export const shutdownDeadlineMs = (shutdownTimeoutMs: number) => shutdownTimeoutMs + SHUTDOWN_SLACK_MS + 1_000;

/**
 * Runs shutdown steps in order, each for at most its own bound and never past the shutdown's
 * deadline. A step that fails or overruns is logged and left behind (`onOverrun` can cut it: a
 * forced disconnect), and the next step runs all the same: a process told to stop does what it can,
 * then exits.
 */
export class ShutdownSteps {
  constructor(
    private readonly logger: Logger,
    /** Epoch ms by which every step must have ended. */
    private readonly deadline: number,
  ) {}

  async run(name: string, step: () => Promise<unknown> | undefined, maxMs: number, onOverrun?: () => void) {
    const ms = Math.max(0, Math.min(maxMs, this.deadline - Date.now()));
    try {
      const work = step();
      if (!work) return;
      if ((await withDeadline(work, ms)).timedOut) {
        this.logger.warn({ step: name, ms }, 'shutdown step overran its bound; going on without it');
        onOverrun?.();
      }
    } catch (error) {
      this.logger.warn({ err: error, step: name }, 'shutdown step failed; going on');
    }
  }
}
