import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundGuard } from './outbound-guard';
import { pinnedAgent } from './pinned-agent';

describe('pinnedAgent', () => {
  let server: http.Server;
  let port: number;
  const hosts: (string | undefined)[] = [];
  beforeAll(async () => {
    // Only ever a 127.0.0.1 test server.
    server = http.createServer((request, response) => {
      hosts.push(request.headers.host);
      response.end('pinned');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('connects to the checked address, not to what the host name resolves to later, keeping the Host header', async () => {
    // The name does not exist in DNS: the request can only arrive through the pinned address.
    const guard = new OutboundGuard({
      allowlist: ['pinned.invalid'],
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const target = await guard.check(`http://pinned.invalid:${port}/`);
    const agent = pinnedAgent(target);
    try {
      const response = await fetch(target.url, { dispatcher: agent });
      expect(await response.text()).toBe('pinned');
      expect(hosts.at(-1)).toBe(`pinned.invalid:${port}`);
    } finally {
      await agent.destroy();
    }
  });
});
