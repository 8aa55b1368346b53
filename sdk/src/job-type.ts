import { z } from 'zod';
import { jobTypeNameSchema, type JobTypeDefaults, type RegisterJobType } from '@flightdeck/contract';

/** What `run` gets besides its payload. */
export interface JobContext {
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the job is cancelled or times out, or when the worker hands it back: stop promptly. */
  signal: AbortSignal;
  /** Report progress 0–100; cheap to call often (coalesced). */
  progress(percent: number): void;
  /** Append a line to the job's log. */
  log(line: string): void;
}

/** A job type of your own: its name, the zod schema of its payload (and result), and the code that runs it. */
export interface JobTypeDefinition<Payload extends z.ZodType = z.ZodType, Result extends z.ZodType = z.ZodType> {
  /** Lowercase words joined by `.`, `-` or `_` (`email.render`); unique within the workspace. */
  name: string;
  /** The workspace's queue its jobs wait in (kebab case); `default` when not given. */
  queue?: string;
  payload: Payload;
  /** When given, what `run` returns is checked against it, and submitters see its type. */
  result?: Result;
  /** Attempts, backoff and timeout for jobs whose submitter gives none. */
  defaults?: JobTypeDefaults;
  run(payload: z.output<Payload>, context: JobContext): Promise<z.input<Result>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any definition, whatever its schemas
export type AnyJobTypeDefinition = JobTypeDefinition<any, any>;
/** What a submitter sends for a type (before defaults apply). */
export type PayloadOf<Definition extends AnyJobTypeDefinition> = z.input<Definition['payload']>;
/** What a completed job of the type holds as `result`. */
export type ResultOf<Definition extends AnyJobTypeDefinition> = Definition['result'] extends z.ZodType
  ? z.output<Definition['result']>
  : unknown;

/** Declares a job type; the name is checked at once, so a bad one fails where it is written. */
export function defineJobType<Payload extends z.ZodType, Result extends z.ZodType = z.ZodUnknown>(
  definition: JobTypeDefinition<Payload, Result>,
): JobTypeDefinition<Payload, Result> {
  const name = jobTypeNameSchema.safeParse(definition.name);
  if (!name.success) throw new TypeError(`job type name "${definition.name}": ${name.error.issues[0]?.message}`);
  return definition;
}

/**
 * What Flightdeck stores of a definition (`PUT /v1/job-types/{name}`): its schemas as JSON Schema
 * (the payload as a submitter writes it, so fields with defaults are optional), queue and defaults.
 */
export function registrationOf(definition: AnyJobTypeDefinition): RegisterJobType {
  return {
    ...(definition.queue ? { queue: definition.queue } : {}),
    payloadSchema: z.toJSONSchema(definition.payload, { io: 'input', unrepresentable: 'any' }),
    ...(definition.result
      ? { resultSchema: z.toJSONSchema(definition.result, { io: 'output', unrepresentable: 'any' }) }
      : {}),
    ...(definition.defaults ? { defaults: definition.defaults } : {}),
  };
}
