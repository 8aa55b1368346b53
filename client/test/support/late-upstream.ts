import { createServer, type Server } from 'node:http';
import { freePort } from '../../../backend/src/services/local-services';

/**
 * The server the end-to-end tests' `http.request` jobs call, which is not listening at first:
 * `freePort()` gives a port nothing listens on yet (a job that calls it fails, connection refused),
 * `start(port, delayMs)` starts the server there, answering every request after `delayMs` (so a job
 * that calls it is seen running). Closed after each test.
 */
export function lateUpstream() {
  let upstream: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
    upstream = undefined;
  });
  return {
    freePort,
    async start(port: number, delayMs: number): Promise<void> {
      const server = createServer((_request, response) => {
        setTimeout(() => response.writeHead(200, { 'content-type': 'text/plain' }).end('upstream is back'), delayMs);
      });
      upstream = server;
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
  };
}
