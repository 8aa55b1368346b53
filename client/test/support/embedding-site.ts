import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const EXAMPLE_PAGE = readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'embed-example.html'), 'utf8');

export interface EmbeddingSite {
  /** Its origin, e.g. `http://127.0.0.1:40123`. */
  url: string;
  close(): Promise<void>;
}

const escapeAttribute = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/**
 * A site of another origin (its own port on 127.0.0.1) that embeds `<fd-job-status>` as
 * docs/embed-example.html shows: `/export?job=…&token=…` serves that page filled in as its server
 * would (the script from Flightdeck at `flightdeckUrl()`, the job and its token); anything else is 404.
 */
export async function startEmbeddingSite(flightdeckUrl: () => string): Promise<EmbeddingSite> {
  const site = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://site.invalid');
    if (url.pathname !== '/export') {
      response.writeHead(404).end();
      return;
    }
    const page = EXAMPLE_PAGE.replaceAll('https://flightdeck.example', flightdeckUrl())
      .replace('job="JOB_ID"', `job="${escapeAttribute(url.searchParams.get('job') ?? '')}"`)
      .replace('token="JOB_TOKEN"', `token="${escapeAttribute(url.searchParams.get('token') ?? '')}"`);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => site.close(() => resolve())),
  };
}
