import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import { JOB_TYPE_LIMITS } from '@flightdeck/contract';

/** A JSON Schema a workspace registered that cannot be used: not JSON Schema, too big, or unresolvable. */
export class InvalidJsonSchemaError extends Error {
  override name = 'InvalidJsonSchemaError';
  /** Which schema of a registration it is (`payloadSchema`, `resultSchema`), once known. */
  field?: string;
}

/** One way a value breaks a schema: where (`to.0`, empty for the value itself) and what. */
export interface SchemaViolation {
  path: string;
  message: string;
}

/** Checks values against one compiled schema: the violations, empty when the value fits. */
export type SchemaCheck = (value: unknown) => SchemaViolation[];

/**
 * Compiles a workspace's JSON Schema (draft 2020-12) with Ajv. The schemas come from outside, so:
 * each gets its own Ajv instance (two workspaces' equal `$id`s must not meet in one cache, and a
 * dropped version must not stay compiled forever), nothing is fetched (`$ref` to anything but the
 * schema itself fails to compile), `allErrors` stays off (Ajv's advice for untrusted schemas: it
 * bounds the work per value), and the schema's size is capped. Formats (`email`, `uri`…) are not
 * checked here: the worker's own schema checks them when it takes the job.
 */
export function compileJsonSchema(schema: Record<string, unknown>): SchemaCheck {
  const size = Buffer.byteLength(JSON.stringify(schema));
  if (size > JOB_TYPE_LIMITS.maxSchemaBytes)
    throw new InvalidJsonSchemaError(`the schema is ${size} bytes; at most ${JOB_TYPE_LIMITS.maxSchemaBytes} are kept`);
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new InvalidJsonSchemaError(`not a usable JSON Schema (draft 2020-12): ${(error as Error).message}`);
  }
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map(violationOf));
}

/** Ajv's error as a dotted path to the field at fault (the missing or unexpected one where it names it). */
function violationOf(error: ErrorObject): SchemaViolation {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const field = params.missingProperty ?? params.additionalProperty;
  if (field !== undefined) segments.push(field);
  const message =
    params.additionalProperty !== undefined ? 'is not allowed here' : (error.message ?? 'does not match the schema');
  return { path: segments.join('.'), message };
}
