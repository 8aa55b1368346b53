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
