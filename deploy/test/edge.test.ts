/**
 * The edge, for both setups (the Gateway API routes of the overlays, compose's nginx): HTTPS only
 * (port 80 redirects), /metrics not served to the public in any spelling the edge can tell apart,
 * and Socket.IO sessions sticky to one gateway, since default clients start with long-polling.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gatewayRuleFor, nginxLocationFor, nginxLocations } from './edge-matching';
import { OVERLAYS, ROOT, has, renderOverlay, type Obj } from './render';

/** Spellings of /metrics that Express serves (case-insensitive, trailing slash optional). */
const METRICS_PATHS = ['/metrics', '/metrics/', '/metrics/x', '/METRICS', '/Metrics/'];
/** What the Gateway API tells apart: its path matching is case-sensitive and exact (no decoding). */
const GATEWAY_METRICS_PATHS = ['/metrics', '/metrics/', '/metrics/x'];
/** What nginx also folds into /metrics before matching: percent-encoding, repeated slashes. */
const NGINX_METRICS_PATHS = [...METRICS_PATHS, '/%6Detrics', '//metrics', '/metrics?format=text'];
const API_PATHS = ['/', '/v1/jobs', '/w/default/jobs/1', '/metricsx', '/healthz'];
const SOCKET_PATHS = ['/socket.io/?EIO=4&transport=polling', '/socket.io/?EIO=4&transport=websocket&sid=abc'];

(has('kubectl') ? describe.each(OVERLAYS) : describe.skip.each(OVERLAYS))('Gateway API, overlay %s', (overlay) => {
  let objects: Obj[];
  let routes: Obj[];
  beforeAll(() => {
    objects = renderOverlay(overlay);
    routes = objects.filter((o) => o.kind === 'HTTPRoute');
  });

  it('terminates TLS on 443 with the operator-provided Secret, and serves nothing on 80', () => {
    const gateway = objects.find((o) => o.kind === 'Gateway')!;
    const byName = Object.fromEntries(gateway.spec.listeners.map((l: Obj) => [l.name, l]));
    expect(byName.https).toMatchObject({
      protocol: 'HTTPS',
      port: 443,
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'flightdeck-tls' }] },
    });
    expect(byName.http).toMatchObject({ protocol: 'HTTP', port: 80 });
    for (const path of [...API_PATHS, ...SOCKET_PATHS, '/metrics']) {
      const rule = gatewayRuleFor(routes, 'http', path.split('?')[0]) as Obj;
      expect({ path, backendRefs: rule.backendRefs, filters: rule.filters }).toEqual({
        path,
        backendRefs: undefined,
        filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
      });
    }
  });

  it('sends /metrics nowhere, the API paths to the API and /socket.io/ to the gateways, sticky by cookie', () => {
    const backend = (path: string) => {
      const rule = gatewayRuleFor(routes, 'https', path.split('?')[0]);
      return rule && (rule.backendRefs ?? []).map((ref) => ref.name).join(',');
    };
    // No backend and no filter: the Gateway answers 500 and forwards nothing.
    for (const path of GATEWAY_METRICS_PATHS) expect({ path, to: backend(path) }).toEqual({ path, to: '' });
    for (const path of API_PATHS) expect({ path, to: backend(path) }).toEqual({ path, to: 'flightdeck-api' });
    for (const path of SOCKET_PATHS) {
      expect({ path, to: backend(path) }).toEqual({ path, to: 'flightdeck-gateway' });
      const rule = gatewayRuleFor(routes, 'https', path.split('?')[0]) as Obj;
      expect(rule.sessionPersistence).toMatchObject({ type: 'Cookie', sessionName: expect.any(String) });
    }
  });
});

describe('compose nginx', () => {
  const conf = readFileSync(path.join(ROOT, 'deploy', 'compose', 'nginx.conf'), 'utf8');
  const locations = nginxLocations(conf);
  const target = (uri: string) => {
    const body = nginxLocationFor(locations, uri)?.body ?? '';
    return /return 404;/.test(body) ? '404' : (/proxy_pass http:\/\/(\w+);/.exec(body)?.[1] ?? 'none');
  };

  it('answers 404 to every spelling of /metrics, and proxies the rest', () => {
    expect(locations.length).toBeGreaterThanOrEqual(3);
    for (const uri of NGINX_METRICS_PATHS) expect({ uri, to: target(uri) }).toEqual({ uri, to: '404' });
    for (const uri of API_PATHS) expect({ uri, to: target(uri) }).toEqual({ uri, to: 'api' });
    for (const uri of SOCKET_PATHS) expect({ uri, to: target(uri) }).toEqual({ uri, to: 'gateways' });
  });

  it('keeps a client on one gateway (hash of its address), with no balancing that ignores it', () => {
    const upstream = /upstream gateways \{([^}]*)\}/.exec(conf)![1];
    expect(upstream).toMatch(/^\s*(ip_hash|hash \$(binary_)?remote_addr( consistent)?);/m);
    expect(upstream).not.toMatch(/least_conn|random/);
  });

  it('picks locations as nginx does (the matcher itself)', () => {
    const sample = nginxLocations(
      'location / { a; }\nlocation ^~ /static/ { b; }\nlocation ~* \\.png$ { c; }\nlocation = /x { d; }\n',
    );
    const pick = (uri: string) => nginxLocationFor(sample, uri)!.body.trim();
    expect([pick('/x'), pick('/static/a.png'), pick('/a.PNG'), pick('/y')]).toEqual(['d;', 'b;', 'c;', 'a;']);
  });
});
