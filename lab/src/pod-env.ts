import type { CoreV1Api, V1Container, V1Pod } from '@kubernetes/client-node';

// A container's environment as the kubelet builds it: `envFrom` ConfigMaps and Secrets first, then
// `env` entries (plain values, ConfigMap and Secret keys, the pod's own fields), later ones winning.
// `$(VAR)` references inside values are not expanded (Flightdeck's manifests use none).

type Sources = Pick<CoreV1Api, 'readNamespacedConfigMap' | 'readNamespacedSecret'>;

const decode = (data: Record<string, string> | undefined) =>
  Object.fromEntries(
    Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]),
  );

/** Reads a ConfigMap's or Secret's data; `undefined` when it is missing and `optional`, else an error. */
async function readData(
  sources: Sources,
  kind: 'ConfigMap' | 'Secret',
  namespace: string,
  name: string,
  optional: boolean | undefined,
): Promise<Record<string, string> | undefined> {
  try {
    if (kind === 'ConfigMap') return (await sources.readNamespacedConfigMap({ name, namespace })).data ?? {};
    return decode((await sources.readNamespacedSecret({ name, namespace })).data);
  } catch (error) {
    if (optional) return undefined;
    throw new Error(`${kind} ${namespace}/${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function fieldOf(pod: V1Pod, fieldPath: string): string {
  const labels = /^metadata\.labels\['(.+)'\]$/.exec(fieldPath);
  if (labels) return pod.metadata?.labels?.[labels[1]!] ?? '';
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace,
    'metadata.uid': pod.metadata?.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.podIP': '127.0.0.1',
    'status.hostIP': '127.0.0.1',
  };
  return fields[fieldPath] ?? '';
}

export async function containerEnv(
  sources: Sources,
  pod: V1Pod,
  container: V1Container,
): Promise<Record<string, string>> {
  const namespace = pod.metadata!.namespace!;
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref?.name) continue;
    const data = await readData(sources, from.configMapRef ? 'ConfigMap' : 'Secret', namespace, ref.name, ref.optional);
    for (const [key, value] of Object.entries(data ?? {})) env[`${from.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    const source = variable.valueFrom;
    if (!source) {
      env[variable.name] = variable.value ?? '';
      continue;
    }
    const keyRef = source.configMapKeyRef ?? source.secretKeyRef;
    if (keyRef?.name) {
      const data = await readData(
        sources,
        source.configMapKeyRef ? 'ConfigMap' : 'Secret',
        namespace,
        keyRef.name,
        keyRef.optional,
      );
      const value = data?.[keyRef.key];
      if (value !== undefined) env[variable.name] = value;
      else if (!keyRef.optional) throw new Error(`${variable.name}: key ${keyRef.key} is missing from ${keyRef.name}`);
    } else if (source.fieldRef) {
      env[variable.name] = fieldOf(pod, source.fieldRef.fieldPath);
    }
  }
  return env;
}
