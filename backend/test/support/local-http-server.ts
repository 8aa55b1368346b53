import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the server received, its body read whole. */
export interface ReceivedRequest {
  method: string;
  /** The path and query. */
  url: string;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * For a test file about the calls Flightdeck makes out (webhooks, http.request jobs): an HTTP server
 * on 127.0.0.1 (never any other address), listening before all tests and closed after them, that
 * records every request and counts every connection; `answer` writes each response.
 */
export function localHttpServer(answer: (request: ReceivedRequest, response: http.ServerResponse) => void) {
  const seen = { connections: 0, requests: [] as ReceivedRequest[] };
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const received = { method: request.method!, url: request.url!, body, headers: request.headers };
    seen.requests.push(received);
    answer(received, response);
  });
  server.on('connection', () => seen.connections++);
  let base = '';

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  return {
    seen,
    /** `http://127.0.0.1:<port>`, once it listens. */
    get base(): string {
      return base;
    },
    /** The requests it received for this path (and query). */
    requestsTo: (url: string) => seen.requests.filter((request) => request.url === url),
  };
}
