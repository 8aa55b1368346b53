import { z } from 'zod';
import type { JobTypeDefaults } from '@flightdeck/contract';
import { JOB_TYPES, findJobType } from '@flightdeck/workers';
import { InvalidInputError } from '../domain-errors';
import type { RegisteredJobType } from '../job-types/job-type-registry';

/** What submitting needs of a job type, built-in or registered: where its jobs wait, and its defaults. */
export interface SubmittableJobType {
  queue: string;
  defaults?: JobTypeDefaults;
}

const NO_TYPES: ReadonlyMap<string, RegisteredJobType> = new Map();

/**
 * The job type of a submitted (or scheduled) job, with its payload checked against the type's schema:
 * a built-in type's zod schema, or the JSON Schema a workspace registered (`registered`: the
 * workspace's types). 422 `unknown_job_type` (listing the types there are) or `invalid_payload`,
 * naming fields under `path` (e.g. `jobs.3.`).
 */
export function validatedJobType(
  type: string,
  payload: Record<string, unknown>,
  path: string,
  registered: ReadonlyMap<string, RegisteredJobType> = NO_TYPES,
): SubmittableJobType {
  const builtIn = findJobType(type);
  if (builtIn) {
    const parsed = builtIn.payloadSchema.safeParse(payload);
    if (parsed.success) return builtIn;
    throw new InvalidInputError(
      'invalid_payload',
      `invalid payload for ${type}: ${z.prettifyError(parsed.error)}`,
      parsed.error.issues.map((issue) => ({
        path: [`${path}payload`, ...issue.path].join('.'),
        message: issue.message,
      })),
    );
  }
  const own = registered.get(type);
  if (!own) {
    const known = [...JOB_TYPES.keys(), ...[...registered.keys()].sort()];
    throw new InvalidInputError('unknown_job_type', `unknown job type "${type}"; known types: ${known.join(', ')}`, [
      { path: `${path}type`, message: 'no such job type' },
    ]);
  }
  const violations = own.checkPayload(payload);
  if (violations.length === 0) return own;
  const issues = violations.map((violation) => ({
    path: [`${path}payload`, violation.path].filter(Boolean).join('.'),
    message: violation.message,
  }));
  throw new InvalidInputError(
    'invalid_payload',
    `invalid payload for ${type} (version ${own.version}): ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
    issues,
  );
}
