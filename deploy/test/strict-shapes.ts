/**
 * Strict "no unknown field" checks for everything we ship. The model packages' validate() lets
 * unknown fields through (and a typo in a KEDA or Gateway API field is silently ignored by the
 * cluster, or rejected only at apply time), so every rendered object is also walked against a
 * Shape of its kind: the fields it may have, and the values of its string enums.
 *
 * - Built-in kinds and the Prometheus Operator's: shapes derived from the model packages' TypeScript
 *   declarations (model-shapes.ts).
 * - KEDA and Gateway API kinds: shapes built from the upstream CRDs' field lists (crd-fields.ts).
 * - Trigger metadata (a free map in the CRD): the keys each KEDA scaler parses.
 * - Any other kind is an error, so a new kind cannot ship unchecked.
 */
import {
  GATEWAY_API_GATEWAY_SPEC_FIELDS,
  GATEWAY_API_HTTPROUTE_EXPERIMENTAL_FIELDS,
  GATEWAY_API_HTTPROUTE_SPEC_FIELDS,
  KEDA_SCALEDOBJECT_SPEC_FIELDS,
  KEDA_TRIGGERAUTHENTICATION_SPEC_FIELDS,
} from './crd-fields';

/** A string field that takes one of these values. */
export class OneOf {
  constructor(readonly values: readonly string[]) {}
}

/**
 * `leaf`: a scalar; `map`: string keys to scalars (labels, data); `any`: free-form (preserved unknown
 * fields); an object: these fields only; `[shape]`: a list of that shape.
 */
export type Shape = 'leaf' | 'map' | 'any' | OneOf | { [key: string]: Shape } | [Shape];

const metadata: Shape = { name: 'leaf', namespace: 'leaf', labels: 'map', annotations: 'map' };
const typeMeta = { apiVersion: 'leaf', kind: 'leaf', metadata } as const;

/**
 * Metadata keys each KEDA scaler parses (pkg/scalers/redis_scaler.go and prometheus_scaler.go at
 * v2.20.2; the `keda:"name=..."` tags, `<name>FromEnv` for those read from the environment too).
 */
export const TRIGGER_METADATA: Record<string, string[]> = {
  redis: [
    'address',
    'addressFromEnv',
    'host',
    'hostFromEnv',
    'port',
    'portFromEnv',
    'username',
    'usernameFromEnv',
    'password',
    'passwordFromEnv',
    'listName',
    'listLength',
    'activationListLength',
    'databaseIndex',
    'enableTLS',
    'unsafeSsl',
  ],
  prometheus: [
    'serverAddress',
    'query',
    'queryParameters',
    'threshold',
    'activationThreshold',
    'namespace',
    'customHeaders',
    'ignoreNullValues',
    'unsafeSsl',
    'timeout',
  ],
};

/** The leaf paths of a shape, in the notation of crd-fields.ts. */
export function fieldPaths(shape: Shape, at = ''): string[] {
  if (Array.isArray(shape)) return fieldPaths(shape[0], `${at}[]`);
  if (shape === 'map' || shape === 'any') return [`${at}{}`];
  if (shape === 'leaf') return [at];
  if (shape instanceof OneOf) return [`${at} = ${shape.values.join('|')}`];
  return Object.entries(shape).flatMap(([key, child]) => fieldPaths(child, at ? `${at}.${key}` : key));
}

/** A Shape from a CRD field list (crd-fields.ts): the inverse of fieldPaths. */
export function shapeFromFields(fields: readonly string[]): Shape {
  const root: { [key: string]: Shape } = {};
  for (const line of fields) {
    const [field, values] = line.split(' = ');
    const steps = field.split('.').map((step) => {
      const [, name, list, map] = /^([^[{]+)(\[\])?(\{\})?$/.exec(step)!;
      return { name, list: list !== undefined, map: map !== undefined };
    });
    let node = root;
    steps.forEach((step, i) => {
      const last = i === steps.length - 1;
      if (node[step.name] === undefined) {
        const inner: Shape = step.map
          ? 'map'
          : !last
            ? {}
            : values === undefined
              ? 'leaf'
              : new OneOf(values.split('|'));
        node[step.name] = step.list ? [inner] : inner;
      }
      const slot = node[step.name];
      if (!last) node = (Array.isArray(slot) ? slot[0] : slot) as { [key: string]: Shape };
    });
  }
  return root;
}

/** Kinds whose shapes come from CRD field lists rather than a model package. */
export const CRD_SHAPES: Record<string, Shape> = {
  'keda.sh/v1alpha1/ScaledObject': { ...typeMeta, spec: shapeFromFields(KEDA_SCALEDOBJECT_SPEC_FIELDS) },
  'keda.sh/v1alpha1/TriggerAuthentication': {
    ...typeMeta,
    spec: shapeFromFields(KEDA_TRIGGERAUTHENTICATION_SPEC_FIELDS),
  },
  'gateway.networking.k8s.io/v1/Gateway': { ...typeMeta, spec: shapeFromFields(GATEWAY_API_GATEWAY_SPEC_FIELDS) },
  'gateway.networking.k8s.io/v1/HTTPRoute': {
    ...typeMeta,
    spec: shapeFromFields([...GATEWAY_API_HTTPROUTE_SPEC_FIELDS, ...GATEWAY_API_HTTPROUTE_EXPERIMENTAL_FIELDS]),
  },
};

function walk(value: unknown, shape: Shape, at: string, errors: string[]): void {
  if (shape === 'any') return;
  if (shape instanceof OneOf) {
    // Integer enums (an HTTP redirect's statusCode) are listed as their decimal strings.
    if (!shape.values.includes(typeof value === 'number' ? String(value) : (value as string)))
      errors.push(`${at}: ${JSON.stringify(value)} is not one of ${shape.values.join(', ')}`);
    return;
  }
  if (shape === 'leaf') {
    if (value !== null && typeof value === 'object') errors.push(`${at}: expected a scalar`);
    return;
  }
  if (shape === 'map') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) errors.push(`${at}: expected a map`);
    return;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return void errors.push(`${at}: expected a list`);
    value.forEach((item, i) => walk(item, shape[0], `${at}[${i}]`, errors));
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return void errors.push(`${at}: expected an object`);
  for (const [key, child] of Object.entries(value)) {
    if (!(key in shape)) errors.push(`${at}.${key}: unknown field`);
    else walk(child, shape[key], `${at}.${key}`, errors);
  }
}

/**
 * A checker for every kind in `shapes`: the unknown or misplaced fields and wrong enum values of an
 * object (kind key `apiVersion/kind`), its trigger metadata keys for a ScaledObject.
 */
export function strictChecker(shapes: Record<string, Shape>): (kindKey: string, object: object) => string[] {
  return (kindKey, object) => {
    const shape = shapes[kindKey];
    if (!shape)
      return [`no strict shape for ${kindKey}: add its model to model-shapes.ts or its CRD fields to crd-fields.ts`];
    const errors: string[] = [];
    walk(object, shape, '', errors);
    if (kindKey === 'keda.sh/v1alpha1/ScaledObject') {
      const spec = (object as { spec?: { triggers?: { type: string; metadata?: Record<string, unknown> }[] } }).spec;
      (spec?.triggers ?? []).forEach((t, i) => {
        const allowed = TRIGGER_METADATA[t.type];
        if (!allowed) return void errors.push(`.spec.triggers[${i}].type: no metadata list for scaler ${t.type}`);
        for (const [key, value] of Object.entries(t.metadata ?? {})) {
          if (!allowed.includes(key)) errors.push(`.spec.triggers[${i}].metadata.${key}: unknown for ${t.type}`);
          if (typeof value !== 'string') errors.push(`.spec.triggers[${i}].metadata.${key}: must be a string`);
        }
      });
    }
    return errors;
  };
}
