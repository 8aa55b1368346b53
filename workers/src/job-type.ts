import type { Logger } from 'pino';
import type { z } from 'zod';
import type { JobArtifacts } from './artifact-store';
import type { OutboundGuard } from './outbound/outbound-guard';
import type { QueueName } from './queues';

/** What a handler gets besides its payload: cancellation, progress, logs, the outbound guard and artifacts. */
export interface JobContext {
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * Aborted when the job times out or is cancelled, or when its worker shuts down before it ends (the
   * reason is then a `WorkerShutdownError`: the job goes back to its queue and runs again elsewhere);
   * handlers stop promptly when it fires.
   */
  signal: AbortSignal;
  /** Report progress 0–100. Cheap to call often: updates are coalesced. */
  progress(percent: number): void;
  /** Append a line to the job's log. */
  log(line: string): void;
  logger: Logger;
  /** Checks a URL before any outbound request (internal addresses refused unless allowlisted). */
  outbound: OutboundGuard;
  /** Files: `put` stores one as an artifact of this job, `get` reads one of the job's workspace. */
  artifacts: JobArtifacts;
}

export interface JobTypeDefaults {
  attempts?: number;
  backoff?: { type: 'fixed' | 'exponential'; delayMs: number };
  timeoutMs?: number;
}

export interface JobTypeDefinition<Payload = unknown, Result = unknown> {
  type: string;
  queue: QueueName;
  payloadSchema: z.ZodType<Payload>;
  /** When given, what `run` returns is checked against it; a mismatch fails the job without retries. */
  resultSchema?: z.ZodType<Result>;
  defaults?: JobTypeDefaults;
  run(payload: Payload, context: JobContext): Promise<Result>;
}

/** Declares a job type. Each type lives in its own file under handlers/ and is listed in job-types.ts. */
export function defineJobType<Payload, Result>(
  definition: JobTypeDefinition<Payload, Result>,
): JobTypeDefinition<Payload, Result> {
  return definition;
}
