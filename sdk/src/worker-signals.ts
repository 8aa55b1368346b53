import type { RunningWorker } from './worker';

/** What a Node process offers that `stopOnSignals` uses (the SDK also builds for browsers, which have none). */
interface SignalProcess {
  env: Record<string, string | undefined>;
  on(signal: string, listener: () => void): unknown;
  off(signal: string, listener: () => void): unknown;
  exit(code?: number): never;
}

export interface StopOnSignalsOptions {
  /**
   * How long the running jobs get to finish before they are stopped and handed back to their queue:
   * `FLIGHTDECK_DRAIN_MS` from the environment when set (the `own-worker` kustomize component sets
   * it beside the pod's grace period), else 10 s.
   */
  timeoutMs?: number;
  /** The signals that stop the worker: SIGTERM (Kubernetes, Docker, systemd) and SIGINT (Ctrl-C) by default. */
  signals?: string[];
  /** Ends the process (exit code 0) once the worker has stopped; true by default. */
  exit?: boolean;
}

const DEFAULT_DRAIN_MS = 10_000;

/** The drain the options or FLIGHTDECK_DRAIN_MS ask for. */
export function drainTimeoutMs(options: StopOnSignalsOptions, env: Record<string, string | undefined>): number {
  if (options.timeoutMs !== undefined) return options.timeoutMs;
  const fromEnv = Number(env.FLIGHTDECK_DRAIN_MS);
  return env.FLIGHTDECK_DRAIN_MS && Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : DEFAULT_DRAIN_MS;
}

/**
 * Stops the worker cleanly when the process is told to (Node only): on the first signal it takes no
 * new job (Flightdeck is told at once), lets the running ones finish for up to the drain time, then
 * stops the rest and disconnects, and Flightdeck hands them back to their queue at once (the attempt
 * is not counted) so another worker runs them; then the process exits. A second signal changes
 * nothing. Give the pod a grace period longer than the drain (the `own-worker` component does).
 * Returns a function that removes the handlers.
 */
export function stopOnSignals(worker: RunningWorker, options: StopOnSignalsOptions = {}): () => void {
  const nodeProcess = (globalThis as { process?: SignalProcess }).process;
  if (!nodeProcess?.on) throw new Error('stopOnSignals needs Node: a browser has no process signals');
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const timeoutMs = drainTimeoutMs(options, nodeProcess.env);
  let stopping: Promise<void> | undefined;
  const onSignal = () => {
    stopping ??= worker.close({ timeoutMs }).then(
      () => {
        if (options.exit !== false) nodeProcess.exit(0);
      },
      () => {
        if (options.exit !== false) nodeProcess.exit(1);
      },
    );
  };
  for (const signal of signals) nodeProcess.on(signal, onSignal);
  return () => {
    for (const signal of signals) nodeProcess.off(signal, onSignal);
  };
}
