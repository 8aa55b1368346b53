import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument } from '../src/api/openapi';

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument();

  it('covers every endpoint of the contract', () => {
    const operations = Object.entries(document.paths ?? {}).flatMap(([route, item]) =>
      Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /v1/jobs',
        'POST /v1/jobs/batch',
        'GET /v1/jobs',
        'GET /v1/jobs/{id}',
        'POST /v1/jobs/{id}/cancel',
        'POST /v1/jobs/{id}/retry',
        'GET /v1/queues',
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
      ]),
    );
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['Job', 'SubmitJob', 'Error']),
    );
  });

  it('is the one committed in docs/openapi.json (run `npm run docs:openapi` after changing the API)', () => {
    const committed = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
