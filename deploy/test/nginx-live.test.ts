/**
 * Compose's nginx.conf in a real nginx (when one is installed; edge.test.ts checks the same rules
 * offline): upstream hosts become local HTTP servers that say who they are, and requests come from
 * several loopback addresses, as clients from different machines would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT, has } from './render';

const NGINX = ['/usr/sbin/nginx', 'nginx'].find((bin) => has(bin));
if (!NGINX) console.warn('deploy tests: nginx not installed, live nginx check SKIPPED (edge.test.ts checks offline)');

/** A server answering every request with its name (and recording that it was reached). */
async function namedServer(name: string, seen: string[]): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    seen.push(`${name} ${req.url}`);
    res.end(name);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const freePort = async () => {
  const { server, port } = await namedServer('probe', []);
  await new Promise((resolve) => server.close(resolve));
  return port;
};

function get(port: number, uri: string, from = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: uri, localAddress: from, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
  });
}

(NGINX ? describe : describe.skip)('compose nginx.conf in a real nginx', () => {
  const seen: string[] = [];
  const servers: http.Server[] = [];
  let nginx: ChildProcess;
  let port: number;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fd-nginx-'));
    port = await freePort();
    let conf = readFileSync(path.join(ROOT, 'deploy', 'compose', 'nginx.conf'), 'utf8')
      .replace(/^pid .*$/m, `pid ${dir}/nginx.pid;`)
      .replace(/access_log \S+;/, 'access_log off;')
      // Under Jest, /dev/stderr may be a socket nginx cannot open.
      .replace(/error_log \S+ (\w+);/, `error_log ${dir}/error.log $1;`)
      .replace(/listen 8080;/, `listen 127.0.0.1:${port};`);
    for (const name of ['gateway-1', 'gateway-2', 'api']) {
      const { server, port: upstream } = await namedServer(name, seen);
      servers.push(server);
      conf = conf.replace(new RegExp(`server ${name}:8080`), `server 127.0.0.1:${upstream}`);
    }
    writeFileSync(path.join(dir, 'nginx.conf'), conf);
    const args = ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`, '-g', 'daemon off;'];
    nginx = spawn(NGINX!, args, { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (
        await get(port, '/healthz').then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`nginx did not start: ${readFileSync(`${dir}/error.log`, 'utf8')}`);
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await new Promise((resolve) => (nginx?.exitCode === null ? nginx.once('exit', resolve) : resolve(null)));
    for (const server of servers) server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 404 to /metrics in every spelling without reaching the API', async () => {
    for (const uri of ['/metrics', '/metrics/', '/METRICS', '/Metrics/', '/%6Detrics', '//metrics']) {
      expect({ uri, status: (await get(port, uri)).status }).toEqual({ uri, status: 404 });
    }
    expect(seen.filter((line) => line.includes('etrics'))).toEqual([]);
    expect(await get(port, '/v1/jobs')).toEqual({ status: 200, body: 'api' });
  });

  it('keeps each client address on one gateway, and spreads addresses over both', async () => {
    const gatewayOf = new Map<string, Set<string>>();
    for (let host = 1; host <= 24; host++) {
      const from = `127.0.0.${host}`;
      const gateways = new Set<string>();
      for (let i = 0; i < 4; i++)
        gateways.add((await get(port, `/socket.io/?EIO=4&transport=polling&i=${i}`, from)).body);
      gatewayOf.set(from, gateways);
    }
    for (const [from, gateways] of gatewayOf) expect({ from, count: gateways.size }).toEqual({ from, count: 1 });
    const used = new Set([...gatewayOf.values()].flatMap((gateways) => [...gateways]));
    expect([...used].sort()).toEqual(['gateway-1', 'gateway-2']);
  });
});
