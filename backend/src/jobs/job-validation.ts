import { z } from 'zod';
import { findJobType } from '@flightdeck/workers';
import { unprocessable } from '../api/http-errors';

/**
 * The job type of a submitted (or scheduled) job, with its payload checked against the type's schema:
 * 422 `unknown_job_type` or `invalid_payload`, naming fields under `path` (e.g. `jobs.3.`).
 */
export function validatedJobType(type: string, payload: Record<string, unknown>, path: string) {
  const definition = findJobType(type);
  if (!definition) {
    throw unprocessable('unknown_job_type', `unknown job type "${type}"`, [
      { path: `${path}type`, message: 'no such job type' },
    ]);
  }
  const parsed = definition.payloadSchema.safeParse(payload);
  if (!parsed.success) {
    throw unprocessable(
      'invalid_payload',
      `invalid payload for ${type}: ${z.prettifyError(parsed.error)}`,
      parsed.error.issues.map((issue) => ({
        path: [`${path}payload`, ...issue.path].join('.'),
        message: issue.message,
      })),
    );
  }
  return definition;
}
