/**
 * A submit form made from a job type's JSON Schema (what `GET /v1/job-types` shows): one field per
 * top-level property, and back from the fields' text to a payload. Pure, so it is tested without a
 * browser. What a simple field cannot hold (objects, arrays, unions) is a JSON field; the server
 * checks the payload against the whole schema anyway (422 naming the path).
 */

export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'choice' | 'json';

export interface SchemaField {
  name: string;
  kind: FieldKind;
  required: boolean;
  description: string;
  /** The schema's default, as the field's initial text ('' when none). */
  initial: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  /** For `choice`: the allowed values. */
  options?: string[];
}

type JsonSchema = Record<string, unknown>;

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields of an object schema, in its property order; a schema that is not an object: one JSON field. */
export function fieldsOf(schema: JsonSchema): SchemaField[] {
  const properties = isObject(schema.properties) ? schema.properties : undefined;
  if (schema.type !== 'object' || !properties) {
    return [{ name: '', kind: 'json', required: true, description: 'The whole payload, as JSON.', initial: '{}' }];
  }
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([name, raw]) => fieldOf(name, isObject(raw) ? raw : {}, required.has(name)));
}

function fieldOf(name: string, schema: JsonSchema, required: boolean): SchemaField {
  const description = typeof schema.description === 'string' ? schema.description : '';
  const base = { name, required, description };
  const initialOf = (value: unknown) =>
    value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === 'string')) {
    return { ...base, kind: 'choice', options: schema.enum as string[], initial: initialOf(schema.default) };
  }
  const number = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  const bounds = {
    ...(number('minimum') !== undefined ? { minimum: number('minimum') } : {}),
    ...(number('maximum') !== undefined ? { maximum: number('maximum') } : {}),
  };
  switch (schema.type) {
    case 'string':
      return {
        ...base,
        kind: 'string',
        initial: initialOf(schema.default),
        ...(number('maxLength') !== undefined ? { maxLength: number('maxLength') } : {}),
      };
    case 'integer':
    case 'number':
      return { ...base, kind: schema.type, initial: initialOf(schema.default), ...bounds };
    case 'boolean':
      return { ...base, kind: 'boolean', initial: schema.default === true ? 'true' : '' };
    default:
      return { ...base, kind: 'json', initial: schema.default === undefined ? '' : JSON.stringify(schema.default) };
  }
}

/** What the form holds: each field's text (a checkbox: 'true' or ''). */
export type FieldValues = Record<string, string>;

/**
 * The payload of the filled-in fields, or the errors by field name. An empty optional field is left
 * out, so the type's defaults apply.
 */
export function payloadOf(
  fields: readonly SchemaField[],
  values: FieldValues,
): { payload: Record<string, unknown> } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const payload: Record<string, unknown> = {};
  for (const field of fields) {
    const text = (values[field.name] ?? '').trim();
    if (field.kind === 'boolean') {
      if (text === 'true' || field.required) payload[field.name] = text === 'true';
      continue;
    }
    if (text === '') {
      if (field.required) errors[field.name] = 'Required.';
      continue;
    }
    const parsed = parseField(field, text);
    if ('error' in parsed) errors[field.name] = parsed.error;
    else if (field.name === '') {
      if (!isObject(parsed.value)) errors[field.name] = 'The payload must be a JSON object.';
      else Object.assign(payload, parsed.value);
    } else payload[field.name] = parsed.value;
  }
  return Object.keys(errors).length > 0 ? { errors } : { payload };
}

function parseField(field: SchemaField, text: string): { value: unknown } | { error: string } {
  switch (field.kind) {
    case 'integer':
    case 'number': {
      const value = Number(text);
      if (!Number.isFinite(value)) return { error: 'A number.' };
      if (field.kind === 'integer' && !Number.isInteger(value)) return { error: 'A whole number.' };
      if (field.minimum !== undefined && value < field.minimum) return { error: `At least ${field.minimum}.` };
      if (field.maximum !== undefined && value > field.maximum) return { error: `At most ${field.maximum}.` };
      return { value };
    }
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: 'Not valid JSON.' };
      }
    case 'choice':
      return field.options?.includes(text) ? { value: text } : { error: `One of ${field.options?.join(', ')}.` };
    default:
      if (field.maxLength !== undefined && text.length > field.maxLength)
        return { error: `At most ${field.maxLength} characters.` };
      return { value: text };
  }
}
