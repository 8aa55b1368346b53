import { ConfigError, loadConfig } from '../src/config';

describe('loadConfig', () => {
  it('has defaults for everything but the service URLs', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      ROLES: ['api', 'gateway', 'worker'],
      LOG_LEVEL: 'info',
      REDIS_PREFIX: 'bull',
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.MONGODB_URI).toBeUndefined();
  });

  it('reads roles as a comma list', () => {
    expect(loadConfig({ ROLES: 'gateway, worker' }).ROLES).toEqual(['gateway', 'worker']);
  });

  it('reads OUTBOUND_ALLOWLIST as a comma list of lower-case hosts, empty by default', () => {
    expect(loadConfig({}).OUTBOUND_ALLOWLIST).toEqual([]);
    expect(loadConfig({ OUTBOUND_ALLOWLIST: ' Hooks.Internal, 127.0.0.1,,' }).OUTBOUND_ALLOWLIST).toEqual([
      'hooks.internal',
      '127.0.0.1',
    ]);
  });

  it('reads WORKER_QUEUES as a comma list of job queues (every queue when unset) and ARTIFACT_MAX_BYTES', () => {
    expect(loadConfig({}).WORKER_QUEUES).toBeUndefined();
    expect(loadConfig({ WORKER_QUEUES: ' demo, http ' }).WORKER_QUEUES).toEqual(['demo', 'http']);
    expect(() => loadConfig({ WORKER_QUEUES: 'demo,webhooks' })).toThrow(/WORKER_QUEUES/);
    expect(() => loadConfig({ WORKER_QUEUES: ',' })).toThrow(/WORKER_QUEUES: name at least one queue/);
    expect(loadConfig({}).ARTIFACT_MAX_BYTES).toBe(50 * 1024 * 1024);
    expect(loadConfig({ ARTIFACT_MAX_BYTES: '1048576' }).ARTIFACT_MAX_BYTES).toBe(1_048_576);
  });

  it('drains gateways within the shutdown timeout', () => {
    expect(loadConfig({})).toMatchObject({
      GATEWAY_DRAIN_DELAY_MS: 2_000,
      GATEWAY_DRAIN_MS: 10_000,
      SHUTDOWN_TIMEOUT_MS: 25_000,
    });
    expect(() => loadConfig({ GATEWAY_DRAIN_MS: '23000' })).toThrow(/GATEWAY_DRAIN_MS.*less than SHUTDOWN_TIMEOUT_MS/);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '5000' })).toThrow(ConfigError);
    expect(loadConfig({ GATEWAY_DRAIN_MS: '23000', SHUTDOWN_TIMEOUT_MS: '30000' }).GATEWAY_DRAIN_MS).toBe(23_000);
    // Only a gateway drains: a worker may have a short shutdown timeout.
    expect(loadConfig({ ROLES: 'api,worker', SHUTDOWN_TIMEOUT_MS: '5000' }).SHUTDOWN_TIMEOUT_MS).toBe(5_000);
  });

  it('limits socket handshakes per client address (SOCKET_HANDSHAKES_PER_IP, 0 = off) in the rate-limit window', () => {
    expect(loadConfig({})).toMatchObject({ SOCKET_HANDSHAKES_PER_IP: 600, RATE_LIMIT_WINDOW_SECONDS: 60 });
    expect(loadConfig({ SOCKET_HANDSHAKES_PER_IP: '0' }).SOCKET_HANDSHAKES_PER_IP).toBe(0);
    expect(loadConfig({ SOCKET_HANDSHAKES_PER_IP: '30' }).SOCKET_HANDSHAKES_PER_IP).toBe(30);
    for (const bad of ['-1', '2.5', 'many']) {
      expect(() => loadConfig({ SOCKET_HANDSHAKES_PER_IP: bad })).toThrow(/SOCKET_HANDSHAKES_PER_IP/);
    }
  });

  it('reports every problem at once', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'abc',
        ROLES: 'api,nope',
        REDIS_URL: 'http://x',
        MONGODB_URI: 'postgres://x',
        LOG_LEVEL: 'loud',
      });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    for (const name of ['PORT', 'ROLES', 'REDIS_URL', 'MONGODB_URI', 'LOG_LEVEL']) expect(message).toContain(name);
  });
});
