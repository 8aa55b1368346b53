import type { V1Pod } from '@kubernetes/client-node';
import { containerEnv } from './pod-env';

const b64 = (text: string) => Buffer.from(text).toString('base64');

const sources = {
  readNamespacedConfigMap: async ({ name }: { name: string }) => {
    if (name !== 'config') throw new Error('not found');
    return { data: { LOG_LEVEL: 'info', PORT: '8080' } };
  },
  readNamespacedSecret: async ({ name }: { name: string }) => {
    if (name !== 'secrets') throw new Error('not found');
    return { data: { REDIS_URL: b64('redis://127.0.0.1:1'), TOKEN: b64('t0k3n') } };
  },
} as unknown as Parameters<typeof containerEnv>[0];

const pod = (env: NonNullable<V1Pod['spec']>['containers'][number]): V1Pod => ({
  metadata: { name: 'flightdeck-api-abc', namespace: 'flightdeck', labels: { 'app.kubernetes.io/component': 'api' } },
  spec: { nodeName: 'lab-node', containers: [env] },
});

describe('containerEnv (the pod agent builds a container environment as the kubelet does)', () => {
  it('reads envFrom first, then env entries, later ones winning, with Secrets decoded and pod fields filled', async () => {
    const spec = pod({
      name: 'flightdeck',
      envFrom: [{ configMapRef: { name: 'config' } }, { secretRef: { name: 'secrets' }, prefix: 'S_' }],
      env: [
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'secrets', key: 'REDIS_URL' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'ROLE', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app.kubernetes.io/component']" } } },
        { name: 'MISSING', valueFrom: { secretKeyRef: { name: 'nope', key: 'X', optional: true } } },
      ],
    });
    await expect(containerEnv(sources, spec, spec.spec!.containers[0]!)).resolves.toEqual({
      LOG_LEVEL: 'debug',
      PORT: '8080',
      S_REDIS_URL: 'redis://127.0.0.1:1',
      S_TOKEN: 't0k3n',
      REDIS_URL: 'redis://127.0.0.1:1',
      POD: 'flightdeck-api-abc',
      ROLE: 'api',
    });
  });

  it('refuses a pod whose required Secret or key is missing, as the kubelet would not start it', async () => {
    const missingSecret = pod({ name: 'c', envFrom: [{ secretRef: { name: 'nope' } }] });
    await expect(containerEnv(sources, missingSecret, missingSecret.spec!.containers[0]!)).rejects.toThrow(
      'Secret flightdeck/nope',
    );
    const missingKey = pod({
      name: 'c',
      env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'secrets', key: 'ABSENT' } } }],
    });
    await expect(containerEnv(sources, missingKey, missingKey.spec!.containers[0]!)).rejects.toThrow(
      'key ABSENT is missing',
    );
  });
});
