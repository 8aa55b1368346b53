import { z } from 'zod';
import { JOB_TYPES } from '@flightdeck/workers';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { JobTypeVersionModel } from '../src/db/models';
import { JobTypeRegistry } from '../src/job-types/job-type-registry';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, type HttpAnswer, type HttpClient } from './support/http-client';

// The job-type registry (issue 13, CONTRACT.md "Job types and workers"): GET /v1/job-types, the
// registration of a workspace's own types (PUT /v1/job-types/{name}, scope workers:run), and submits
// of registered types checked against the latest registered JSON Schema — against a real Flightdeck
// on the real test services.

let app: TestFlightdeck;
/** A key of the default workspace with only the worker scope, as a workspace's own worker holds. */
let worker: HttpClient;

const put = (http: HttpClient, name: string, body: unknown) => http.request('PUT', `/v1/job-types/${name}`, body);

/** The zod schema a team would write for its type, as the SDK sends it (JSON Schema, draft 2020-12). */
const emailPayload = z.strictObject({
  to: z.string().min(3),
  subject: z.string().max(200),
  attachments: z
    .array(z.strictObject({ artifactId: z.string() }))
    .max(5)
    .optional(),
});
const emailDefinition = {
  queue: 'emails',
  payloadSchema: z.toJSONSchema(emailPayload, { io: 'input' }),
  resultSchema: z.toJSONSchema(z.strictObject({ messageId: z.string() })),
  defaults: { attempts: 3, backoff: { type: 'exponential', delayMs: 1000 }, timeoutMs: 30_000 },
};
const validEmail = { to: 'ada@example.test', subject: 'Hello' };

async function keyWith(workspaceId: string, scopes: string[]): Promise<HttpClient> {
  const key = generateApiKey();
  await createApiKey({ workspaceId, name: `scopes ${scopes.join(' ')}`, key, scopes });
  return httpClient(app.url, key);
}

function expectError(answer: HttpAnswer, status: number, code: string) {
  expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status, code });
  return answer.body.error as { message: string; issues?: { path: string; message: string }[] };
}

const issuePaths = (error: { issues?: { path: string }[] }) => (error.issues ?? []).map((issue) => issue.path);

beforeAll(async () => {
  app = await startTestFlightdeck();
  worker = await keyWith(app.workspaceId, ['workers:run']);
});
afterAll(() => app?.stop());

describe('GET /v1/job-types', () => {
  it('lists every built-in type with the JSON Schema of its payload, its queue and the workers serving it', async () => {
    const answer = await app.http.get('/v1/job-types');
    expect(answer.status).toBe(200);
    const builtIn = answer.body.types.filter((type: { source: string }) => type.source === 'built-in');
    expect(builtIn.map((type: { name: string }) => type.name)).toEqual([...JOB_TYPES.keys()]);
    const sleep = builtIn.find((type: { name: string }) => type.name === 'demo.sleep');
    expect(sleep).toMatchObject({
      queue: 'demo',
      version: 1,
      registeredAt: null,
      payloadSchema: {
        type: 'object',
        properties: { ms: { type: 'integer', minimum: 0, maximum: 600_000 } },
        required: ['ms'],
      },
    });
    // This process runs the worker role: it serves every built-in queue (50 demo jobs at once).
    expect(sleep.workers).toEqual({ count: 1, concurrency: 50 });
    const image = builtIn.find((type: { name: string }) => type.name === 'image.transform');
    expect(image.workers).toEqual({ count: 1, concurrency: 4 });
  });

  it('is refused without credentials, and to a key without jobs:read', async () => {
    expect((await httpClient(app.url).get('/v1/job-types')).status).toBe(401);
    expectError(await worker.get('/v1/job-types'), 403, 'forbidden');
  });
});

describe('registering a type', () => {
  it('stores version 1, lists it as registered in its own queue, and registering it again changes nothing', async () => {
    const first = await put(worker, 'email.render', emailDefinition);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      name: 'email.render',
      source: 'registered',
      version: 1,
      queue: `ws-${app.workspaceId.toLowerCase()}-emails`,
      payloadSchema: emailDefinition.payloadSchema,
      resultSchema: emailDefinition.resultSchema,
      defaults: emailDefinition.defaults,
      registeredAt: expect.any(String),
      workers: { count: 0, concurrency: 0, instances: [] },
    });
    const again = await put(worker, 'email.render', emailDefinition);
    expect({ status: again.status, version: again.body.version }).toEqual({ status: 200, version: 1 });

    const listed = (await app.http.get('/v1/job-types')).body.types;
    expect(listed.filter((type: { name: string }) => type.name === 'email.render')).toEqual([first.body]);
    expect((await app.http.get('/v1/job-types/email.render')).body).toEqual(first.body);
  });

  it('keeps types in MongoDB: a fresh registry (another process, a restart) reads them back', async () => {
    await put(worker, 'report.build', { payloadSchema: { type: 'object' } });
    const types = await new JobTypeRegistry().types(app.workspaceId);
    expect(types.get('report.build')).toMatchObject({ version: 1, payloadSchema: { type: 'object' } });
    expect(types.get('report.build')!.queue).toBe(`ws-${app.workspaceId.toLowerCase()}-default`);
  });

  it('makes a changed definition the next version, and submits are checked against the latest', async () => {
    const v1 = await put(worker, 'thumb.make', {
      payloadSchema: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
    });
    expect(v1.body.version).toBe(1);
    expect((await app.http.post('/v1/jobs', { type: 'thumb.make', payload: { url: 'u' } })).status).toBe(202);

    const v2 = await put(worker, 'thumb.make', {
      payloadSchema: {
        type: 'object',
        properties: { url: { type: 'string' }, size: { type: 'integer', minimum: 1 } },
        required: ['url', 'size'],
      },
    });
    expect({ status: v2.status, version: v2.body.version }).toEqual({ status: 201, version: 2 });
    const error = expectError(
      await app.http.post('/v1/jobs', { type: 'thumb.make', payload: { url: 'u' } }),
      422,
      'invalid_payload',
    );
    expect(issuePaths(error)).toEqual(['payload.size']);
    expect(error.message).toMatch(/version 2/);
    expect((await app.http.post('/v1/jobs', { type: 'thumb.make', payload: { url: 'u', size: 64 } })).status).toBe(202);
    expect(await JobTypeVersionModel.countDocuments({ workspaceId: app.workspaceId, name: 'thumb.make' })).toBe(2);
  });

  it('adds one version, not several, when the same change is registered many times at once', async () => {
    // Several rounds: a read that began before the winning insert must not answer (or cache) version 1.
    for (const round of [1, 2, 3, 4, 5]) {
      const name = `race.type${round}`;
      await put(worker, name, { payloadSchema: { type: 'object' } });
      const changed = { payloadSchema: { type: 'object', properties: { n: { type: 'number' } } } };
      const answers = await Promise.all(Array.from({ length: 8 }, () => put(worker, name, changed)));
      expect(answers.map((answer) => answer.body.version)).toEqual(Array(8).fill(2));
      expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    }
  });

  it('refuses built-in names, unusable schemas and bad names with a clear 4xx', async () => {
    expectError(await put(worker, 'demo.sleep', { payloadSchema: { type: 'object' } }), 409, 'job_type_reserved');
    const notSchema = expectError(
      await put(worker, 'bad.schema', { payloadSchema: { type: 'no-such-type' } }),
      422,
      'validation_failed',
    );
    expect(issuePaths(notSchema)).toEqual(['payloadSchema']);
    const remoteRef = expectError(
      await put(worker, 'bad.ref', {
        payloadSchema: { type: 'object' },
        resultSchema: { $ref: 'https://schemas.example/elsewhere.json' },
      }),
      422,
      'validation_failed',
    );
    expect(issuePaths(remoteRef)).toEqual(['resultSchema']);
    expectError(await put(worker, 'Bad Name', { payloadSchema: {} }), 422, 'validation_failed');
    expectError(await put(worker, 'ok.name', { payloadSchema: 'object' }), 422, 'validation_failed');
    expectError(await put(worker, 'ok.name', { payloadSchema: {}, extra: true }), 422, 'validation_failed');
    const huge = { type: 'object', description: 'x'.repeat(70 * 1024) };
    expectError(await put(worker, 'ok.name', { payloadSchema: huge }), 422, 'validation_failed');
    // Built as text: JSON.stringify itself could not write it.
    const deep = `{"payloadSchema":${'{"type":"object","properties":{"a":'.repeat(5_000)}{}${'}}'.repeat(5_000)}}`;
    const tooDeep = expectError(await put(worker, 'ok.name', deep), 422, 'validation_failed');
    expect(tooDeep.message).toMatch(/deeper than 64/);
    expect((await app.http.get('/v1/job-types/ok.name')).status).toBe(404);
  });

  it('takes the scope workers:run (or admin): a submitting key may not register', async () => {
    const submitter = await keyWith(app.workspaceId, ['jobs:read', 'jobs:write']);
    expectError(await put(submitter, 'not.mine', { payloadSchema: {} }), 403, 'forbidden');
    expect((await put(app.http, 'admin.registered', { payloadSchema: {} })).status).toBe(201);
  });
});

describe('submitting registered types', () => {
  beforeAll(async () => {
    expect((await put(worker, 'email.render', emailDefinition)).status).toBeLessThan(300);
  });

  it('queues a valid payload in the type queue, with the registered defaults', async () => {
    const answer = await app.http.post('/v1/jobs', { type: 'email.render', payload: validEmail });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      type: 'email.render',
      queue: `ws-${app.workspaceId.toLowerCase()}-emails`,
      status: 'queued',
      attempts: 3,
      backoff: { type: 'exponential', delayMs: 1000 },
      timeoutMs: 30_000,
    });
    const waiting = await app.queue(answer.body.queue).getJob(answer.body.id);
    expect(waiting?.data).toEqual({ workspaceId: app.workspaceId, payload: validEmail, timeoutMs: 30_000 });
  });

  it('answers 422 invalid_payload naming the path that breaks the schema', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ subject: 'Hi' }, 'payload.to'],
      [{ ...validEmail, to: 42 }, 'payload.to'],
      [{ ...validEmail, subject: 'x'.repeat(201) }, 'payload.subject'],
      [{ ...validEmail, attachments: [{ artifactId: 'a' }, { artifactId: 7 }] }, 'payload.attachments.1.artifactId'],
      [{ ...validEmail, colour: 'red' }, 'payload.colour'],
    ];
    for (const [payload, path] of cases) {
      const error = expectError(
        await app.http.post('/v1/jobs', { type: 'email.render', payload }),
        422,
        'invalid_payload',
      );
      expect({ payload, paths: issuePaths(error) }).toEqual({ payload, paths: [path] });
    }
    const inBatch = expectError(
      await app.http.post('/v1/jobs/batch', {
        jobs: [
          { type: 'email.render', payload: validEmail },
          { type: 'email.render', payload: { to: 'x' } },
        ],
      }),
      422,
      'invalid_payload',
    );
    expect(issuePaths(inBatch)).toEqual(['jobs.1.payload.subject']);
  });

  it('refuses a payload nested too deeply for a recursive schema with 422, not a crash', async () => {
    const tree = { type: 'object', properties: { child: { $ref: '#' } }, additionalProperties: false };
    expect((await put(worker, 'tree.walk', { payloadSchema: tree })).status).toBe(201);
    let payload: Record<string, unknown> = {};
    for (let level = 0; level < 20; level++) payload = { child: payload };
    expect((await app.http.post('/v1/jobs', { type: 'tree.walk', payload })).status).toBe(202);
    for (const levels of [200, 100_000]) {
      const deep = `{"type":"tree.walk","payload":${'{"child":'.repeat(levels)}{}${'}'.repeat(levels)}}`;
      const error = expectError(await app.http.post('/v1/jobs', deep), 422, 'invalid_payload');
      expect(error.message).toMatch(/deeper than 128/);
    }
    // A permissive schema too: the payload is stored as JSON later.
    expect((await put(worker, 'anything.goes', { payloadSchema: { type: 'object' } })).status).toBe(201);
    const deep = `{"type":"anything.goes","payload":${'{"a":'.repeat(5_000)}{}${'}'.repeat(5_000)}}`;
    expectError(await app.http.post('/v1/jobs', deep), 422, 'invalid_payload');
  });

  it('answers 422 unknown_job_type listing the types the workspace knows', async () => {
    const error = expectError(
      await app.http.post('/v1/jobs', { type: 'email.sned', payload: {} }),
      422,
      'unknown_job_type',
    );
    expect(issuePaths(error)).toEqual(['type']);
    for (const name of [...JOB_TYPES.keys(), 'email.render', 'thumb.make']) expect(error.message).toContain(name);
  });
});

describe('workspace isolation', () => {
  let other: { workspaceId: string; http: HttpClient };
  beforeAll(async () => {
    other = await app.createWorkspace(`types-${Date.now()}`);
    expect((await put(worker, 'email.render', emailDefinition)).status).toBeLessThan(300);
  });

  it('shows another workspace none of the types, and lets it neither submit nor read them', async () => {
    const listed = (await other.http.get('/v1/job-types')).body.types as { name: string; source: string }[];
    expect(listed.filter((type) => type.source !== 'built-in')).toEqual([]);
    expect((await other.http.get('/v1/job-types/email.render')).status).toBe(404);
    const error = expectError(
      await other.http.post('/v1/jobs', { type: 'email.render', payload: validEmail }),
      422,
      'unknown_job_type',
    );
    expect(error.message).not.toMatch(/thumb\.make|report\.build/);
  });

  it('keeps a type of the same name in each workspace apart: its own schema, its own queue', async () => {
    const theirs = await put(other.http, 'email.render', { payloadSchema: { type: 'object', required: ['html'] } });
    expect(theirs.status).toBe(201);
    expect(theirs.body.queue).toBe(`ws-${other.workspaceId.toLowerCase()}-default`);
    expect((await other.http.post('/v1/jobs', { type: 'email.render', payload: { html: '<p>' } })).status).toBe(202);
    expectError(
      await app.http.post('/v1/jobs', { type: 'email.render', payload: { html: '<p>' } }),
      422,
      'invalid_payload',
    );
    const mine = (await app.http.get('/v1/job-types/email.render')).body;
    expect(mine.queue).toBe(`ws-${app.workspaceId.toLowerCase()}-emails`);
  });
});
