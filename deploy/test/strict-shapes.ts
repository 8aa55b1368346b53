/**
 * Strict "no unknown field" checks for the custom resources we ship. The model packages' validate()
 * lets unknown fields through, and a typo in a KEDA or Gateway API field is silently ignored by
 * the cluster (or rejected only at apply time). These shapes list the fields of the CRDs' schemas
 * (KEDA v2.17 ScaledObject / TriggerAuthentication, Gateway API v1.2 Gateway / HTTPRoute, Prometheus
 * Operator monitoring.coreos.com/v1 PodMonitor / PrometheusRule) that a manifest may use; anything else is reported. Trigger metadata keys are those of each scaler.
 */
type Shape = 'leaf' | 'map' | { [key: string]: Shape } | [Shape];

const metadata: Shape = { name: 'leaf', namespace: 'leaf', labels: 'map', annotations: 'map' };
const typeMeta = { apiVersion: 'leaf', kind: 'leaf', metadata } as const;

const hpaPolicy: Shape = { type: 'leaf', value: 'leaf', periodSeconds: 'leaf' };
const hpaRules: Shape = {
  stabilizationWindowSeconds: 'leaf',
  selectPolicy: 'leaf',
  policies: [hpaPolicy],
  tolerance: 'leaf',
};

/** Metadata keys each KEDA scaler reads (keda.sh/docs/2.17/scalers). */
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

const trigger: Shape = {
  type: 'leaf',
  name: 'leaf',
  metricType: 'leaf',
  useCachedMetrics: 'leaf',
  metadata: 'map', // checked per scaler type below
  authenticationRef: { name: 'leaf', kind: 'leaf' },
};

const labelSelector: Shape = {
  matchLabels: 'map',
  matchExpressions: [{ key: 'leaf', operator: 'leaf', values: ['leaf'] }],
};
const relabeling: Shape = {
  action: 'leaf',
  sourceLabels: ['leaf'],
  separator: 'leaf',
  targetLabel: 'leaf',
  regex: 'leaf',
  modulus: 'leaf',
  replacement: 'leaf',
};

const SHAPES: Record<string, Shape> = {
  'monitoring.coreos.com/v1/PodMonitor': {
    ...typeMeta,
    spec: {
      jobLabel: 'leaf',
      podTargetLabels: ['leaf'],
      selector: labelSelector,
      namespaceSelector: { any: 'leaf', matchNames: ['leaf'] },
      sampleLimit: 'leaf',
      scrapeProtocols: ['leaf'],
      podMetricsEndpoints: [
        {
          port: 'leaf',
          portNumber: 'leaf',
          path: 'leaf',
          scheme: 'leaf',
          params: 'map',
          interval: 'leaf',
          scrapeTimeout: 'leaf',
          honorLabels: 'leaf',
          honorTimestamps: 'leaf',
          enableHttp2: 'leaf',
          filterRunning: 'leaf',
          relabelings: [relabeling],
          metricRelabelings: [relabeling],
        },
      ],
    },
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    ...typeMeta,
    spec: {
      groups: [
        {
          name: 'leaf',
          interval: 'leaf',
          query_offset: 'leaf',
          limit: 'leaf',
          partial_response_strategy: 'leaf',
          labels: 'map',
          rules: [
            {
              alert: 'leaf',
              record: 'leaf',
              expr: 'leaf',
              for: 'leaf',
              keep_firing_for: 'leaf',
              labels: 'map',
              annotations: 'map',
            },
          ],
        },
      ],
    },
  },
  'keda.sh/v1alpha1/ScaledObject': {
    ...typeMeta,
    spec: {
      scaleTargetRef: { apiVersion: 'leaf', kind: 'leaf', name: 'leaf', envSourceContainerName: 'leaf' },
      pollingInterval: 'leaf',
      initialCooldownPeriod: 'leaf',
      cooldownPeriod: 'leaf',
      idleReplicaCount: 'leaf',
      minReplicaCount: 'leaf',
      maxReplicaCount: 'leaf',
      fallback: { failureThreshold: 'leaf', replicas: 'leaf', behavior: 'leaf' },
      advanced: {
        restoreToOriginalReplicaCount: 'leaf',
        horizontalPodAutoscalerConfig: { name: 'leaf', behavior: { scaleUp: hpaRules, scaleDown: hpaRules } },
        scalingModifiers: { formula: 'leaf', target: 'leaf', activationTarget: 'leaf', metricType: 'leaf' },
      },
      triggers: [trigger],
    },
  },
  'keda.sh/v1alpha1/TriggerAuthentication': {
    ...typeMeta,
    spec: {
      secretTargetRef: [{ parameter: 'leaf', name: 'leaf', key: 'leaf' }],
      env: [{ parameter: 'leaf', name: 'leaf', containerName: 'leaf' }],
    },
  },
  'gateway.networking.k8s.io/v1/Gateway': {
    ...typeMeta,
    spec: {
      gatewayClassName: 'leaf',
      addresses: [{ type: 'leaf', value: 'leaf' }],
      listeners: [
        {
          name: 'leaf',
          hostname: 'leaf',
          port: 'leaf',
          protocol: 'leaf',
          tls: { mode: 'leaf', certificateRefs: [{ group: 'leaf', kind: 'leaf', name: 'leaf', namespace: 'leaf' }] },
          allowedRoutes: { namespaces: { from: 'leaf', selector: 'map' }, kinds: [{ group: 'leaf', kind: 'leaf' }] },
        },
      ],
    },
  },
  'gateway.networking.k8s.io/v1/HTTPRoute': {
    ...typeMeta,
    spec: {
      parentRefs: [{ group: 'leaf', kind: 'leaf', namespace: 'leaf', name: 'leaf', sectionName: 'leaf', port: 'leaf' }],
      hostnames: ['leaf'],
      rules: [
        {
          name: 'leaf',
          matches: [
            {
              path: { type: 'leaf', value: 'leaf' },
              headers: [{ type: 'leaf', name: 'leaf', value: 'leaf' }],
              queryParams: [{ type: 'leaf', name: 'leaf', value: 'leaf' }],
              method: 'leaf',
            },
          ],
          backendRefs: [{ group: 'leaf', kind: 'leaf', name: 'leaf', namespace: 'leaf', port: 'leaf', weight: 'leaf' }],
          timeouts: { request: 'leaf', backendRequest: 'leaf' },
        },
      ],
    },
  },
};

function walk(value: unknown, shape: Shape, at: string, errors: string[]): void {
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

/** Unknown or misplaced fields of `object` (kind key `apiVersion/kind`); [] for kinds without a shape. */
export function strictErrors(kindKey: string, object: Record<string, unknown>): string[] {
  const shape = SHAPES[kindKey];
  if (!shape) return [];
  const errors: string[] = [];
  walk(object, shape, '', errors);
  if (kindKey === 'keda.sh/v1alpha1/ScaledObject') {
    const triggers = ((object.spec as { triggers?: { type: string; metadata: Record<string, string> }[] }).triggers ??=
      []);
    triggers.forEach((t, i) => {
      const allowed = TRIGGER_METADATA[t.type];
      if (!allowed) return void errors.push(`.spec.triggers[${i}].type: no metadata list for scaler ${t.type}`);
      for (const [key, value] of Object.entries(t.metadata ?? {})) {
        if (!allowed.includes(key)) errors.push(`.spec.triggers[${i}].metadata.${key}: unknown for ${t.type}`);
        if (typeof value !== 'string') errors.push(`.spec.triggers[${i}].metadata.${key}: must be a string`);
      }
    });
  }
  return errors;
}
