import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer } from '../src/api/http-shutdown';

/** A server whose responses take `delayMs` (never end when null), and a keep-alive client of it. */
async function serve(delayMs: number | null) {
  const server = http.createServer((_request, response) => {
    if (delayMs !== null) setTimeout(() => response.end('done'), delayMs);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true });
  const get = () =>
    new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, agent }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve(body));
          response.on('error', reject);
        })
        .on('error', reject);
    });
  return { server, agent, get };
}

const closedWithin = async (closing: Promise<void>) => {
  const started = Date.now();
  await closing;
  return Date.now() - started;
};

describe('closeHttpServer', () => {
  it('lets a request running at close finish, then closes its keep-alive connection at once', async () => {
    const { server, agent, get } = await serve(500);
    const answer = get();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const took = await closedWithin(closeHttpServer(server, 20_000));
    await expect(answer).resolves.toBe('done');
    // Without the sweep, Node keeps that connection for the keep-alive timeout (65 s).
    expect(took).toBeLessThan(5_000);
    agent.destroy();
  });

  it('closes idle keep-alive connections at once', async () => {
    const { server, agent, get } = await serve(0);
    await expect(get()).resolves.toBe('done');
    expect(await closedWithin(closeHttpServer(server, 20_000))).toBeLessThan(1_000);
    agent.destroy();
  });

  it('cuts a request that is still running at the deadline', async () => {
    const { server, agent, get } = await serve(null);
    const answer = get();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const took = await closedWithin(closeHttpServer(server, 300));
    await expect(answer).rejects.toThrow();
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(5_000);
    agent.destroy();
  });
});
