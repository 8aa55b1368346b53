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
  // Depth first: everything after (stringifying, compiling) recurses through the schema.
  if (depthOf(schema, MAX_SCHEMA_DEPTH) > MAX_SCHEMA_DEPTH)
    throw new InvalidJsonSchemaError(`the schema nests deeper than ${MAX_SCHEMA_DEPTH} levels`);
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
  return (value) => {
    // Payloads are stored and sent as JSON: one nested past what JSON.stringify's recursion survives
    // would fail later, as a 500; refused here, it is the submitter's 422.
    if (depthOf(value, MAX_PAYLOAD_DEPTH) > MAX_PAYLOAD_DEPTH)
      return [{ path: '', message: `nests deeper than ${MAX_PAYLOAD_DEPTH} levels` }];
    try {
      return validate(value) ? [] : (validate.errors ?? []).map(violationOf);
    } catch {
      // A recursive schema (`$ref: "#"`) follows the value down: a value nested deep enough
      // overflows the stack. That is a refused payload, not a failure of ours.
      return [{ path: '', message: 'is nested too deeply to be checked' }];
    }
  };
}

/** Levels a registered schema may nest (objects and arrays); real ones use a handful. */
export const MAX_SCHEMA_DEPTH = 64;
/** Levels a payload of a registered type may nest. */
export const MAX_PAYLOAD_DEPTH = 128;

/** How deep objects and arrays nest in a JSON value (counted without recursion; stops past `limit`). */
export function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
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
