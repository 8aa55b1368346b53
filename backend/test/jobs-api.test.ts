import { Job as BullJob } from 'bullmq';
import { decodeWorkspaceEntry } from '@flightdeck/workers';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, type HttpAnswer, type HttpClient, waitForJobStatus } from './support/http-client';
import { waitFor } from './support/test-services';

// Every REST endpoint of the contract (CONTRACT.md, "REST API" and the probes of "Process and
// configuration"), with its error cases, against a real Flightdeck on the real test services.

const CONTRACT_JOB_FIELDS = [
  'id',
  'type',
  'status',
  'progress',
  'payload',
  'result',
  'error',
  'attemptsMade',
  'createdAt',
  'startedAt',
  'finishedAt',
];

/** The answer is `status` with exactly `{ error: { code, message } }` (+ optional `issues`). */
function expectError(answer: HttpAnswer, status: number, code: string) {
  expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status, code });
  expect(Object.keys(answer.body)).toEqual(['error']);
  expect(answer.body.error.message).toEqual(expect.any(String));
  expect(answer.body.error.message.length).toBeGreaterThan(0);
  for (const field of Object.keys(answer.body.error)) expect(['code', 'message', 'issues']).toContain(field);
  if ('issues' in answer.body.error) {
    for (const issue of answer.body.error.issues) {
      expect(issue).toEqual({ path: expect.any(String), message: expect.any(String) });
    }
  }
  return answer.body.error as { code: string; message: string; issues?: { path: string; message: string }[] };
}

const issuePaths = (error: { issues?: { path: string }[] }) => (error.issues ?? []).map((issue) => issue.path);

/** Event types of one job in its workspace stream, in order. */
async function eventTypes(app: TestFlightdeck, workspaceId: string, jobId: string): Promise<string[]> {
  const entries = await app.redis.xrange(app.keys.workspaceEvents(workspaceId), '-', '+');
  return entries
    .map(decodeWorkspaceEntry)
    .filter((event) => event.jobId === jobId)
    .map((event) => event.type);
}

/** How many jobs the workspace stream says were ever queued (running jobs only add other event types). */
async function submissionCount(app: TestFlightdeck, workspaceId: string): Promise<number> {
  const entries = await app.redis.xrange(app.keys.workspaceEvents(workspaceId), '-', '+');
  return entries
    .map(decodeWorkspaceEntry)
    .filter((event) => event.type === 'job.queued' || event.type === 'job.delayed').length;
}

const submit = (http: HttpClient, body: unknown, headers?: Record<string, string>) =>
  http.post('/v1/jobs', body, headers);

describe('a process with every role', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ PROGRESS_INTERVAL_MS: '0' });
  });
  afterAll(async () => {
    await app.stop();
  });

  describe('POST /v1/jobs', () => {
    it('answers 202 with the queued job', async () => {
      const answer = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ id: expect.any(String), status: 'queued', type: 'demo.sleep' });
    });

    it('answers 202 with a delayed job when delayMs is set', async () => {
      const answer = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 });
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ id: expect.any(String), status: 'delayed' });
    });

    it('returns the first job for a repeated idempotency key, in the body or the header', async () => {
      const job = { type: 'demo.sleep', payload: { ms: 0 } };
      const keyInBody = (key: string) => submit(app.http, { ...job, idempotencyKey: key });
      const keyInHeader = (key: string) => submit(app.http, job, { 'Idempotency-Key': key });
      const first = await keyInBody('api-key-1');
      expect(first.status).toBe(202);
      const again = await keyInBody('api-key-1');
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      const byHeader = await keyInHeader('api-key-1');
      expect(byHeader.status).toBe(200);
      expect(byHeader.body.id).toBe(first.body.id);

      const headerFirst = await keyInHeader('api-key-2');
      expect(headerFirst.status).toBe(202);
      expect(headerFirst.body.idempotencyKey).toBe('api-key-2');
      const bodyAgain = await keyInBody('api-key-2');
      expect(bodyAgain.status).toBe(200);
      expect(bodyAgain.body.id).toBe(headerFirst.body.id);
      expect(bodyAgain.body.id).not.toBe(first.body.id);
    });

    it('refuses a malformed Idempotency-Key header with 422', async () => {
      for (const key of ['has space', 'k'.repeat(256)]) {
        const error = expectError(
          await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } }, { 'Idempotency-Key': key }),
          422,
          'validation_failed',
        );
        expect(issuePaths(error)).toContain('Idempotency-Key');
      }
    });

    it('refuses an Idempotency-Key header that differs from the body field with 422', async () => {
      const answer = await submit(
        app.http,
        { type: 'demo.sleep', payload: { ms: 0 }, idempotencyKey: 'body-key' },
        { 'Idempotency-Key': 'header-key' },
      );
      expect(issuePaths(expectError(answer, 422, 'validation_failed'))).toContain('idempotencyKey');
      // Neither key was taken by the refused request.
      expect(
        (await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, idempotencyKey: 'body-key' })).status,
      ).toBe(202);
      expect(
        (await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, idempotencyKey: 'header-key' })).status,
      ).toBe(202);
    });

    it('answers 400 invalid_json to malformed JSON', async () => {
      expectError(await submit(app.http, '{"type": "demo.sleep", '), 400, 'invalid_json');
      expectError(await submit(app.http, "{'type': 'demo.sleep'}"), 400, 'invalid_json');
    });

    it('answers 422 validation_failed with issues to wrong types and unknown fields', async () => {
      const base = { type: 'demo.sleep', payload: { ms: 0 } };
      const cases: [unknown, string][] = [
        [{ ...base, priority: 'high' }, 'priority'],
        [{ ...base, attempts: 0 }, 'attempts'],
        [{ ...base, delayMs: -5 }, 'delayMs'],
        [{ ...base, delayMs: 1.5 }, 'delayMs'],
        [{ ...base, backoff: { type: 'linear', delayMs: 10 } }, 'backoff.type'],
        [{ ...base, timeoutMs: 0 }, 'timeoutMs'],
        [{ ...base, idempotencyKey: 'has space' }, 'idempotencyKey'],
        [{ ...base, payload: [1, 2] }, 'payload'],
        [{ type: 42, payload: { ms: 0 } }, 'type'],
        [{ payload: { ms: 0 } }, 'type'],
      ];
      for (const [body, path] of cases) {
        const error = expectError(await submit(app.http, body), 422, 'validation_failed');
        expect(issuePaths(error)).toContain(path);
      }
      const unknownField = expectError(await submit(app.http, { ...base, colour: 'red' }), 422, 'validation_failed');
      expect(unknownField.issues!.map((issue) => issue.message).join(' ')).toMatch(/colour/);
      expectError(await submit(app.http, '[]'), 422, 'validation_failed');
      expectError(await submit(app.http, 'null'), 422, 'validation_failed');
      expectError(await submit(app.http, '"demo.sleep"'), 422, 'validation_failed');
    });

    it('answers 422 unknown_job_type to a type no worker runs', async () => {
      const error = expectError(await submit(app.http, { type: 'demo.nope', payload: {} }), 422, 'unknown_job_type');
      expect(issuePaths(error)).toEqual(['type']);
    });

    it('answers 422 invalid_payload to a demo.sleep payload out of range', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ ms: -1 }, 'payload.ms'],
        [{ ms: 600_001 }, 'payload.ms'],
        [{ ms: 1.5 }, 'payload.ms'],
        [{ ms: 10, steps: 0 }, 'payload.steps'],
        [{ ms: 10, steps: 101 }, 'payload.steps'],
        [{ ms: 10, fail: 'yes' }, 'payload.fail'],
        [{}, 'payload.ms'],
      ];
      for (const [payload, path] of cases) {
        const error = expectError(await submit(app.http, { type: 'demo.sleep', payload }), 422, 'invalid_payload');
        expect(issuePaths(error)).toContain(path);
      }
      expectError(await submit(app.http, { type: 'demo.sleep' }), 422, 'invalid_payload');
    });

    it('takes priorities up to what the queue takes and refuses larger ones with 422, never 5xx', async () => {
      const job = { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 };
      expect((await submit(app.http, { ...job, priority: 1 })).status).toBe(202);
      expect((await submit(app.http, { ...job, priority: 2_097_151 })).status).toBe(202);
      const submissions = await submissionCount(app, app.workspaceId);
      for (const priority of [2_097_152, 2_097_153]) {
        const error = expectError(await submit(app.http, { ...job, priority }), 422, 'validation_failed');
        expect(issuePaths(error)).toEqual(['priority']);
      }
      const batch = await app.http.post('/v1/jobs/batch', { jobs: [job, { ...job, priority: 2_097_152 }] });
      expect(issuePaths(expectError(batch, 422, 'validation_failed'))).toEqual(['jobs.1.priority']);
      expect(await submissionCount(app, app.workspaceId)).toBe(submissions);
    });

    it('answers 400 to a body that cannot be decoded', async () => {
      const answer = await app.http.request('POST', '/v1/jobs', 'this is not gzip', {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      });
      expectError(answer, 400, 'invalid_json');
    });

    it('answers 415 to a form or another type that is not JSON', async () => {
      const answer = await app.http.request('POST', '/v1/jobs', 'type=demo.sleep', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expectError(answer, 415, 'unsupported_media_type');
      expectError(
        await app.http.request('POST', '/v1/jobs', '<job/>', { 'content-type': 'application/xml' }),
        415,
        'unsupported_media_type',
      );
    });

    it('reads JSON sent as text/plain or without a Content-Type (what fetch and curl send by default)', async () => {
      const job = JSON.stringify({ type: 'demo.sleep', payload: { ms: 0 } });
      const asText = await app.http.request('POST', '/v1/jobs', job, { 'content-type': 'text/plain;charset=UTF-8' });
      expect(asText.status).toBe(202);
      const untyped = await fetch(`${app.url}/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${app.apiKey}` },
        body: new TextEncoder().encode(job),
      });
      expect(untyped.status).toBe(202);
      // Text that is not JSON is malformed JSON, whatever its label.
      expectError(
        await app.http.request('POST', '/v1/jobs', 'demo.sleep', { 'content-type': 'text/plain' }),
        400,
        'invalid_json',
      );
    });

    it('answers 422 to a request without a body', async () => {
      expectError(await app.http.post('/v1/jobs'), 422, 'validation_failed');
      expectError(
        await app.http.request('POST', '/v1/jobs', '', { 'content-type': 'application/json' }),
        422,
        'validation_failed',
      );
    });

    it('answers 413 payload_too_large to a body over the default 1 MiB limit', async () => {
      const body = { type: 'demo.sleep', payload: { ms: 0, padding: 'x'.repeat(1_100_000) } };
      expectError(await submit(app.http, body), 413, 'payload_too_large');
    });
  });

  describe('authentication', () => {
    const job = { type: 'demo.sleep', payload: { ms: 0 } };

    it('answers 401 without credentials, with a bad key and with a malformed header', async () => {
      const anonymous = httpClient(app.url);
      expectError(await anonymous.post('/v1/jobs', job), 401, 'unauthorized');
      expectError(await anonymous.get('/v1/jobs'), 401, 'unauthorized');
      expectError(await anonymous.get('/v1/queues'), 401, 'unauthorized');
      expectError(await httpClient(app.url, generateApiKey()).post('/v1/jobs', job), 401, 'unauthorized');
      expectError(await httpClient(app.url, generateApiKey()).get('/v1/jobs'), 401, 'unauthorized');
      expectError(await anonymous.post('/v1/jobs', job, { authorization: 'Basic x' }), 401, 'unauthorized');
      expectError(await anonymous.get('/v1/jobs', { authorization: `Basic ${app.apiKey}` }), 401, 'unauthorized');
      expectError(await anonymous.get('/v1/jobs', { authorization: 'Bearer' }), 401, 'unauthorized');
      expectError(
        await anonymous.get('/v1/jobs', { authorization: `Bearer ${app.apiKey} extra` }),
        401,
        'unauthorized',
      );
    });

    it('answers 403 forbidden to a key without the scope the call needs', async () => {
      const readOnlyKey = generateApiKey();
      await createApiKey({ workspaceId: app.workspaceId, name: 'read only', key: readOnlyKey, scopes: ['jobs:read'] });
      const readOnly = httpClient(app.url, readOnlyKey);
      const { body: existing } = await submit(app.http, { ...job, delayMs: 600_000 });

      expectError(await readOnly.post('/v1/jobs', job), 403, 'forbidden');
      expectError(await readOnly.post('/v1/jobs/batch', { jobs: [job] }), 403, 'forbidden');
      expectError(await readOnly.post(`/v1/jobs/${existing.id}/cancel`), 403, 'forbidden');
      expectError(await readOnly.post(`/v1/jobs/${existing.id}/retry`), 403, 'forbidden');
      expectError(await readOnly.get('/v1/queues'), 403, 'forbidden');
      expect((await readOnly.get(`/v1/jobs/${existing.id}`)).status).toBe(200);
      expect((await readOnly.get('/v1/jobs')).status).toBe(200);
      expect((await app.http.get(`/v1/jobs/${existing.id}`)).body.status).toBe('delayed');

      const writeOnlyKey = generateApiKey();
      await createApiKey({
        workspaceId: app.workspaceId,
        name: 'write only',
        key: writeOnlyKey,
        scopes: ['jobs:write'],
      });
      const writeOnly = httpClient(app.url, writeOnlyKey);
      expectError(await writeOnly.get(`/v1/jobs/${existing.id}`), 403, 'forbidden');
      expectError(await writeOnly.get('/v1/jobs'), 403, 'forbidden');
      expect((await writeOnly.post('/v1/jobs', job)).status).toBe(202);
    });
  });

  describe('POST /v1/jobs/batch', () => {
    it('answers 202 with every job in the order sent', async () => {
      const answer = await app.http.post('/v1/jobs/batch', {
        jobs: [
          { type: 'demo.sleep', payload: { ms: 1 } },
          { type: 'demo.sleep', payload: { ms: 2 }, delayMs: 600_000 },
          { type: 'demo.sleep', payload: { ms: 3 } },
        ],
      });
      expect(answer.status).toBe(202);
      expect(Object.keys(answer.body)).toEqual(['jobs']);
      const jobs = answer.body.jobs as { id: string; status: string }[];
      expect(jobs.map((job) => job.status)).toEqual(['queued', 'delayed', 'queued']);
      expect(new Set(jobs.map((job) => job.id)).size).toBe(3);
      for (const [index, { id }] of jobs.entries()) {
        expect((await app.http.get(`/v1/jobs/${id}`)).body.payload).toEqual({ ms: index + 1 });
      }
      await waitForJobStatus(app.http, jobs[0]!.id, 'completed');
      await waitForJobStatus(app.http, jobs[2]!.id, 'completed');
    });

    it('refuses a batch with one invalid job whole, naming its index, and queues nothing', async () => {
      const submissions = await submissionCount(app, app.workspaceId);
      const bullJobs = await app.queue('demo').getJobCountByTypes();
      const valid = { type: 'demo.sleep', payload: { ms: 0 }, idempotencyKey: 'batch-refused' };
      const cases: [unknown[], string, string][] = [
        [[valid, { type: 'demo.sleep', payload: { ms: -1 } }], 'invalid_payload', 'jobs.1.payload.ms'],
        [[valid, { type: 'demo.sleep', payload: { ms: 0 } }, { type: 'demo.nope' }], 'unknown_job_type', 'jobs.2.type'],
        [[valid, { type: 'demo.sleep', priority: 'high' }], 'validation_failed', 'jobs.1.priority'],
      ];
      for (const [jobs, code, path] of cases) {
        const error = expectError(await app.http.post('/v1/jobs/batch', { jobs }), 422, code);
        expect(issuePaths(error)).toContain(path);
      }
      expect(await submissionCount(app, app.workspaceId)).toBe(submissions);
      expect(await app.queue('demo').getJobCountByTypes()).toBe(bullJobs);
      // The valid job's idempotency key was not taken either.
      expect((await submit(app.http, valid)).status).toBe(202);
    });

    it('refuses more than 1000 jobs, none, and a body without jobs with 422', async () => {
      const submissions = await submissionCount(app, app.workspaceId);
      const bullJobs = await app.queue('demo').getJobCountByTypes();
      const many = Array.from({ length: 1001 }, () => ({ type: 'demo.sleep', payload: { ms: 0 } }));
      expect(
        issuePaths(expectError(await app.http.post('/v1/jobs/batch', { jobs: many }), 422, 'validation_failed')),
      ).toContain('jobs');
      expectError(await app.http.post('/v1/jobs/batch', { jobs: [] }), 422, 'validation_failed');
      expectError(await app.http.post('/v1/jobs/batch', {}), 422, 'validation_failed');
      expectError(
        await app.http.post('/v1/jobs/batch', [{ type: 'demo.sleep', payload: { ms: 0 } }]),
        422,
        'validation_failed',
      );
      expectError(await app.http.post('/v1/jobs/batch'), 422, 'validation_failed');
      expectError(await app.http.post('/v1/jobs/batch', '{"jobs": ['), 400, 'invalid_json');
      expect(await submissionCount(app, app.workspaceId)).toBe(submissions);
      expect(await app.queue('demo').getJobCountByTypes()).toBe(bullJobs);
    });
  });

  describe('GET /v1/jobs/{id}', () => {
    it('answers 200 with every field of the contract', async () => {
      const { body: submitted } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 20, steps: 2 } });
      const queued = await app.http.get(`/v1/jobs/${submitted.id}`);
      expect(queued.status).toBe(200);
      for (const field of CONTRACT_JOB_FIELDS) expect(queued.body).toHaveProperty(field);
      expect(queued.body).toMatchObject({
        id: submitted.id,
        type: 'demo.sleep',
        payload: { ms: 20, steps: 2 },
        result: null,
        error: null,
        attemptsMade: expect.any(Number),
        createdAt: expect.any(String),
      });
      expect(['queued', 'active', 'completed']).toContain(queued.body.status);
      expect(queued.body.progress).toBeGreaterThanOrEqual(0);

      const done = await waitForJobStatus(app.http, submitted.id, 'completed');
      for (const field of CONTRACT_JOB_FIELDS) expect(done).toHaveProperty(field);
      expect(done).toMatchObject({
        id: submitted.id,
        type: 'demo.sleep',
        status: 'completed',
        progress: 100,
        payload: { ms: 20, steps: 2 },
        result: { slept: 20 },
        error: null,
        attemptsMade: 1,
      });
      for (const field of ['createdAt', 'startedAt', 'finishedAt']) {
        expect(new Date(done[field]).toISOString()).toBe(done[field]);
      }
    });

    it('answers 400 to a job id that is not valid percent-encoding', async () => {
      expectError(await app.http.get('/v1/jobs/%E0%A4%A'), 400, 'validation_failed');
      expectError(await app.http.post('/v1/jobs/%E0%A4%A/cancel'), 400, 'validation_failed');
    });

    it('answers 404 not_found to an unknown id', async () => {
      expectError(await app.http.get('/v1/jobs/01JF0000000000000000000000'), 404, 'not_found');
      expectError(await app.http.get('/v1/jobs/no-such-job'), 404, 'not_found');
      expectError(await app.http.post('/v1/jobs/01JF0000000000000000000000/cancel'), 404, 'not_found');
      expectError(await app.http.post('/v1/jobs/01JF0000000000000000000000/retry'), 404, 'not_found');
    });
  });

  describe('GET /v1/jobs', () => {
    // A workspace of its own, so that other tests' jobs do not show up in these lists.
    let lists: { workspaceId: string; http: HttpClient };
    const submitted: string[] = [];
    beforeAll(async () => {
      lists = await app.createWorkspace('lists');
      for (let index = 0; index < 7; index++) {
        const { body } = await submit(lists.http, { type: 'demo.sleep', payload: { ms: index }, delayMs: 600_000 });
        submitted.push(body.id);
      }
    });

    it('lists newest first', async () => {
      const { status, body } = await lists.http.get('/v1/jobs');
      expect(status).toBe(200);
      expect(Object.keys(body).sort()).toEqual(['items', 'nextCursor']);
      expect(body.items.map((job: { id: string }) => job.id)).toEqual([...submitted].reverse());
      expect(body.nextCursor).toBeNull();
      for (const field of CONTRACT_JOB_FIELDS) expect(body.items[0]).toHaveProperty(field);
      expect(body.items[0]).toMatchObject({ status: 'delayed', payload: { ms: 6 }, type: 'demo.sleep' });
    });

    it('walks every page with limit and cursor, without duplicates or gaps', async () => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/v1/jobs?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const { status, body } = await lists.http.get(query);
        expect(status).toBe(200);
        pages.push(body.items.map((job: { id: string }) => job.id));
        cursor = body.nextCursor;
        expect(pages.length).toBeLessThanOrEqual(3);
      } while (cursor);
      expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual([...submitted].reverse());
    });

    it('filters by status and by type', async () => {
      const { body: done } = await submit(lists.http, { type: 'demo.sleep', payload: { ms: 0 } });
      await waitForJobStatus(lists.http, done.id, 'completed');

      const completed = await lists.http.get('/v1/jobs?status=completed');
      expect(completed.body.items.map((job: { id: string }) => job.id)).toEqual([done.id]);
      const delayed = await lists.http.get('/v1/jobs?status=delayed&limit=200');
      expect(delayed.body.items.map((job: { id: string }) => job.id)).toEqual([...submitted].reverse());
      expect((await lists.http.get('/v1/jobs?status=failed')).body).toEqual({ items: [], nextCursor: null });

      const byType = await lists.http.get('/v1/jobs?type=demo.sleep');
      expect(byType.body.items).toHaveLength(8);
      expect((await lists.http.get('/v1/jobs?type=demo.other')).body).toEqual({ items: [], nextCursor: null });
      const both = await lists.http.get('/v1/jobs?type=demo.sleep&status=completed');
      expect(both.body.items.map((job: { id: string }) => job.id)).toEqual([done.id]);
      // Parameters left empty (a URL template's blanks) are not given.
      const blanks = await lists.http.get('/v1/jobs?status=completed&type=&limit=&cursor=');
      expect(blanks.status).toBe(200);
      expect(blanks.body.items.map((job: { id: string }) => job.id)).toEqual([done.id]);
      expect((await lists.http.get('/v1/jobs?status=&type=&limit=&cursor=')).body.items).toHaveLength(8);
    });

    it('answers 422 to a bad limit, status, cursor or an unknown parameter', async () => {
      for (const query of ['limit=0', 'limit=201', 'limit=x', 'limit=1.5', 'limit=-1']) {
        expect(issuePaths(expectError(await lists.http.get(`/v1/jobs?${query}`), 422, 'validation_failed'))).toContain(
          'limit',
        );
      }
      expectError(await lists.http.get('/v1/jobs?status=sleeping'), 422, 'validation_failed');
      expectError(await lists.http.get('/v1/jobs?status=queued&status=failed'), 422, 'validation_failed');
      for (const cursor of ['x', 'not-a-cursor', Buffer.from('01JF').toString('base64url')]) {
        expectError(await lists.http.get(`/v1/jobs?cursor=${cursor}`), 422, 'validation_failed');
      }
      expectError(await lists.http.get('/v1/jobs?colour=red'), 422, 'validation_failed');
    });
  });

  describe('POST /v1/jobs/{id}/cancel', () => {
    it('cancels a delayed job, which never runs', async () => {
      const { body: job } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 500 });
      const answer = await app.http.post(`/v1/jobs/${job.id}/cancel`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: job.id, status: 'cancelled', finishedAt: expect.any(String) });
      for (const field of CONTRACT_JOB_FIELDS) expect(answer.body).toHaveProperty(field);

      // A job submitted after it with a longer delay runs: the cancelled one's due time has passed.
      const { body: control } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 700 });
      await waitForJobStatus(app.http, control.id, 'completed');
      expect((await app.http.get(`/v1/jobs/${job.id}`)).body.status).toBe('cancelled');
      expect(await eventTypes(app, app.workspaceId, job.id)).toEqual(['job.delayed', 'job.cancelled']);
      expect(await BullJob.fromId(app.queue('demo'), job.id)).toBeUndefined();
    });

    it('answers 409 job_not_cancellable for a finished job', async () => {
      const { body: job } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
      await waitForJobStatus(app.http, job.id, 'completed');
      expectError(await app.http.post(`/v1/jobs/${job.id}/cancel`), 409, 'job_not_cancellable');

      const { body: failing } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0, fail: true } });
      await waitForJobStatus(app.http, failing.id, 'failed');
      expectError(await app.http.post(`/v1/jobs/${failing.id}/cancel`), 409, 'job_not_cancellable');

      const { body: delayed } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 });
      expect((await app.http.post(`/v1/jobs/${delayed.id}/cancel`)).status).toBe(200);
      expectError(await app.http.post(`/v1/jobs/${delayed.id}/cancel`), 409, 'job_not_cancellable');
      expect((await app.http.get(`/v1/jobs/${job.id}`)).body.status).toBe('completed');
    });

    it('stops an active job, which ends cancelled and is not retried', async () => {
      const { body: job } = await submit(app.http, {
        type: 'demo.sleep',
        payload: { ms: 20_000, steps: 40 },
        attempts: 3,
      });
      await waitForJobStatus(app.http, job.id, 'active');
      const answer = await app.http.post(`/v1/jobs/${job.id}/cancel`);
      expect(answer.status).toBe(200);
      // The API waits (a few seconds at most) for the worker to stop the job.
      expect(answer.body).toMatchObject({ id: job.id, status: 'cancelled' });
      const final = await waitForJobStatus(app.http, job.id, 'cancelled', 5_000);
      expect(final).toMatchObject({ status: 'cancelled', error: null, result: null, finishedAt: expect.any(String) });
      expect(final.progress).toBeLessThan(100);

      const types = await eventTypes(app, app.workspaceId, job.id);
      expect(types.at(-1)).toBe('job.cancelled');
      expect(types.filter((type) => type === 'job.active')).toHaveLength(1);
      expect(types).not.toContain('job.failed');
      expect(types).not.toContain('job.retrying');
      const bullJob = await BullJob.fromId(app.queue('demo'), job.id);
      expect(await bullJob?.getState()).toBe('failed');
      expect(bullJob?.attemptsMade).toBe(1);
      expectError(await app.http.post(`/v1/jobs/${job.id}/cancel`), 409, 'job_not_cancellable');
    });
  });

  describe('POST /v1/jobs/{id}/retry', () => {
    it('runs a failed job again with a fresh budget of attempts', async () => {
      const { body: job } = await submit(app.http, {
        type: 'demo.sleep',
        payload: { ms: 10, fail: true },
        attempts: 2,
      });
      const failed = await waitForJobStatus(app.http, job.id, 'failed');
      expect(failed.attemptsMade).toBe(2);

      const answer = await app.http.post(`/v1/jobs/${job.id}/retry`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        id: job.id,
        status: 'queued',
        attemptsMade: 0,
        error: null,
        result: null,
        finishedAt: null,
      });
      const again = await waitFor('the retried job to fail again', async () => {
        const types = await eventTypes(app, app.workspaceId, job.id);
        return types.filter((type) => type === 'job.failed').length === 2
          ? (await app.http.get(`/v1/jobs/${job.id}`)).body
          : null;
      });
      expect(again).toMatchObject({ status: 'failed', error: { message: 'demo failure' }, attemptsMade: 2 });
      expect(Date.parse(again.startedAt)).toBeGreaterThanOrEqual(Date.parse(failed.finishedAt));
      const types = await eventTypes(app, app.workspaceId, job.id);
      expect(types.filter((type) => type === 'job.active')).toHaveLength(4);
    });

    it('runs a cancelled job again, to completion', async () => {
      const { body: job } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 10 }, delayMs: 600_000 });
      expect((await app.http.post(`/v1/jobs/${job.id}/cancel`)).body.status).toBe('cancelled');
      const answer = await app.http.post(`/v1/jobs/${job.id}/retry`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: job.id, status: 'queued', finishedAt: null });
      const done = await waitForJobStatus(app.http, job.id, 'completed');
      expect(done).toMatchObject({ result: { slept: 10 }, error: null, attemptsMade: 1 });
    });

    it('runs a job cancelled while active again', async () => {
      const { body: job } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 20_000, steps: 40 } });
      await waitForJobStatus(app.http, job.id, 'active');
      expect((await app.http.post(`/v1/jobs/${job.id}/cancel`)).status).toBe(200);
      await waitForJobStatus(app.http, job.id, 'cancelled', 5_000);

      const answer = await app.http.post(`/v1/jobs/${job.id}/retry`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: job.id, status: 'queued', attemptsMade: 0 });
      await waitFor('the job to run again', async () => {
        const types = await eventTypes(app, app.workspaceId, job.id);
        return types.filter((type) => type === 'job.active').length === 2;
      });
      expect((await app.http.post(`/v1/jobs/${job.id}/cancel`)).status).toBe(200);
      await waitForJobStatus(app.http, job.id, 'cancelled', 5_000);
      const types = await eventTypes(app, app.workspaceId, job.id);
      expect(types.filter((type) => type === 'job.cancelled')).toHaveLength(2);
      expect(types.at(-1)).toBe('job.cancelled');
    });

    it('answers 409 job_not_retryable for completed, delayed and active jobs', async () => {
      const { body: job } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
      await waitForJobStatus(app.http, job.id, 'completed');
      expectError(await app.http.post(`/v1/jobs/${job.id}/retry`), 409, 'job_not_retryable');
      expect((await app.http.get(`/v1/jobs/${job.id}`)).body.status).toBe('completed');

      const { body: delayed } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 });
      expectError(await app.http.post(`/v1/jobs/${delayed.id}/retry`), 409, 'job_not_retryable');

      const { body: active } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 20_000, steps: 40 } });
      await waitForJobStatus(app.http, active.id, 'active');
      expectError(await app.http.post(`/v1/jobs/${active.id}/retry`), 409, 'job_not_retryable');
      expect((await app.http.post(`/v1/jobs/${active.id}/cancel`)).status).toBe(200);
      await waitForJobStatus(app.http, active.id, 'cancelled', 5_000);
    });
  });

  describe('GET /v1/queues', () => {
    it('lists the demo queue with counts and scaling', async () => {
      const { status, body } = await app.http.get('/v1/queues');
      expect(status).toBe(200);
      const demo = body.queues.find((queue: { name: string }) => queue.name === 'demo');
      expect(demo).toEqual({
        name: 'demo',
        paused: false,
        counts: {
          queued: expect.any(Number),
          delayed: expect.any(Number),
          active: expect.any(Number),
          completed: expect.any(Number),
          failed: expect.any(Number),
        },
        scaling: {
          desiredReplicas: expect.any(Number),
          minReplicas: expect.any(Number),
          maxReplicas: expect.any(Number),
          jobsPerReplica: expect.any(Number),
        },
      });
      expect(demo.counts.completed).toBeGreaterThan(0);
      expect(demo.counts.delayed).toBeGreaterThan(0);
    });
  });

  describe('probes, metrics and docs', () => {
    it('answers /healthz and /readyz with 200 without credentials', async () => {
      const anonymous = httpClient(app.url);
      expect(await anonymous.get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await anonymous.get('/readyz')).toMatchObject({
        status: 200,
        body: { status: 'ready', checks: { redis: true, mongodb: true } },
      });
    });

    it('serves Prometheus text at /metrics', async () => {
      await app.http.get('/v1/jobs?limit=1');
      const answer = await httpClient(app.url).get('/metrics');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(answer.body).toContain('# TYPE flightdeck_http_request_duration_seconds histogram');
      expect(answer.body).toMatch(/flightdeck_http_request_duration_seconds_count\{[^}]*route="\/v1\/jobs"/);
    });

    it('serves an OpenAPI 3.1 document naming every path, and its rendered docs', async () => {
      const anonymous = httpClient(app.url);
      const spec = await anonymous.get('/v1/openapi.json');
      expect(spec.status).toBe(200);
      expect(spec.body.openapi).toMatch(/^3\.1\./);
      expect(Object.keys(spec.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/jobs',
          '/v1/jobs/batch',
          '/v1/jobs/{id}',
          '/v1/jobs/{id}/cancel',
          '/v1/jobs/{id}/retry',
          '/v1/queues',
          '/healthz',
          '/readyz',
          '/metrics',
        ]),
      );
      expect(Object.keys(spec.body.paths['/v1/jobs'])).toEqual(expect.arrayContaining(['get', 'post']));
      const docs = await anonymous.get('/v1/docs');
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
      expect(docs.body).toMatch(/<html/i);
    });

    it('answers 404 route_not_found with the error shape to an unknown route', async () => {
      expectError(await app.http.get('/v1/nothing-here'), 404, 'route_not_found');
    });

    it('answers 405 method_not_allowed with Allow to a method a declared path does not take', async () => {
      const answer = await app.http.request('PUT', '/v1/jobs');
      expectError(answer, 405, 'method_not_allowed');
      expect(answer.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
      // `/v1/jobs/batch` is also a `/v1/jobs/{id}`, whose GET serves it.
      const batch = await app.http.request('PUT', '/v1/jobs/batch');
      expect(batch.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
      expectError(await app.http.request('PUT', '/v1/nothing-here'), 404, 'route_not_found');
    });

    it('validates an optional body sent as null instead of reading it as absent, and refuses an empty required one', async () => {
      const { body: job } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 });
      expectError(await app.http.post(`/v1/jobs/${job.id}/token`, null), 422, 'validation_failed');
      expect((await app.http.post(`/v1/jobs/${job.id}/token`)).status).toBe(201);
      // A PATCH whose fields are all optional: `{}` changes nothing, an empty body is no body.
      const schedule = await app.http.post('/v1/schedules', {
        name: 'empty bodies',
        cron: '0 3 * * *',
        job: { type: 'demo.sleep', payload: { ms: 0 } },
      });
      expect(schedule.status).toBe(201);
      const empty = await app.http.patch(`/v1/schedules/${schedule.body.id}`, '');
      expectError(empty, 422, 'validation_failed');
      expect(empty.body.error.message).toBe('a JSON body is required');
      expect((await app.http.patch(`/v1/schedules/${schedule.body.id}`, {})).status).toBe(200);
    });
  });

  describe('workspace isolation', () => {
    it('keeps each workspace from seeing or touching the other one’s jobs', async () => {
      const other = await app.createWorkspace('isolation');
      const { body: mine } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 });
      const { body: theirs } = await submit(other.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 });
      const { body: theirsFailed } = await submit(other.http, { type: 'demo.sleep', payload: { ms: 0, fail: true } });
      await waitForJobStatus(other.http, theirsFailed.id, 'failed');

      for (const [http, id] of [
        [other.http, mine.id],
        [app.http, theirs.id],
        [app.http, theirsFailed.id],
      ] as const) {
        expectError(await http.get(`/v1/jobs/${id}`), 404, 'not_found');
        expectError(await http.post(`/v1/jobs/${id}/cancel`), 404, 'not_found');
        expectError(await http.post(`/v1/jobs/${id}/retry`), 404, 'not_found');
      }
      expect((await app.http.get(`/v1/jobs/${mine.id}`)).body.status).toBe('delayed');
      expect((await other.http.get(`/v1/jobs/${theirs.id}`)).body.status).toBe('delayed');
      expect((await other.http.get(`/v1/jobs/${theirsFailed.id}`)).body.status).toBe('failed');

      const otherList = (await other.http.get('/v1/jobs?limit=200')).body.items.map((job: { id: string }) => job.id);
      expect(otherList.sort()).toEqual([theirs.id, theirsFailed.id].sort());
      const myList = (await app.http.get('/v1/jobs?limit=200')).body.items.map((job: { id: string }) => job.id);
      expect(myList).toContain(mine.id);
      expect(myList).not.toContain(theirs.id);
      expect(myList).not.toContain(theirsFailed.id);
    });
  });
});

describe('an API-only process (no worker)', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ ROLES: 'api' });
  });
  afterAll(() => app.stop());

  const demoQueue = async () => {
    const { body } = await app.http.get('/v1/queues');
    return body.queues.find((queue: { name: string }) => queue.name === 'demo');
  };

  it('counts queued jobs and asks for ceil(backlog / jobsPerReplica) replicas', async () => {
    const idle = await demoQueue();
    expect(idle.counts).toEqual({ queued: 0, delayed: 0, active: 0, completed: 0, failed: 0 });
    expect(idle.scaling.desiredReplicas).toBe(idle.scaling.minReplicas);

    const { jobsPerReplica, maxReplicas } = idle.scaling;
    const count = jobsPerReplica + 1;
    const batch = await app.http.post('/v1/jobs/batch', {
      jobs: Array.from({ length: count }, () => ({ type: 'demo.sleep', payload: { ms: 0 } })),
    });
    expect(batch.status).toBe(202);
    await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, priority: 5 });
    await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 });

    const busy = await demoQueue();
    expect(busy.counts).toEqual({ queued: count + 1, delayed: 1, active: 0, completed: 0, failed: 0 });
    expect(busy.scaling.desiredReplicas).toBe(Math.min(maxReplicas, Math.ceil((count + 1) / jobsPerReplica)));
    expect(busy.scaling.desiredReplicas).toBe(2);
  });

  it('cancels a queued job and answers 409 to retrying a queued one', async () => {
    const { body: job } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
    expect(job.status).toBe('queued');
    const { body: other } = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
    expectError(await app.http.post(`/v1/jobs/${other.id}/retry`), 409, 'job_not_retryable');

    const before = (await demoQueue()).counts.queued;
    const answer = await app.http.post(`/v1/jobs/${job.id}/cancel`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: job.id, status: 'cancelled' });
    expect((await demoQueue()).counts.queued).toBe(before - 1);

    // Workers that start now run everything still queued, but not the cancelled job.
    await app.startWorkers();
    await waitForJobStatus(app.http, other.id, 'completed');
    await waitFor('the queue to drain', async () => (await demoQueue()).counts.queued === 0);
    expect((await app.http.get(`/v1/jobs/${job.id}`)).body.status).toBe('cancelled');
    expect(await eventTypes(app, app.workspaceId, job.id)).toEqual(['job.queued', 'job.cancelled']);
  });
});

describe('a process with a 2 KiB body limit', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ ROLES: 'api', BODY_LIMIT_BYTES: '2048', BATCH_BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(() => app.stop());

  it('answers 413 payload_too_large to a larger body, and accepts one under it', async () => {
    const padded = (length: number) => ({ type: 'demo.sleep', payload: { ms: 0 }, idempotencyKey: 'k'.repeat(length) });
    expect((await submit(app.http, padded(200))).status).toBe(202);
    const error = expectError(
      await submit(app.http, { type: 'demo.sleep', payload: { ms: 0, padding: 'x'.repeat(3_000) } }),
      413,
      'payload_too_large',
    );
    expect(error.message).toMatch(/2048/);
  });

  it('answers 413 to a batch over the batch limit, and accepts one under it', async () => {
    const jobs = (count: number) => Array.from({ length: count }, () => ({ type: 'demo.sleep', payload: { ms: 0 } }));
    const small = await app.http.post('/v1/jobs/batch', { jobs: jobs(40) });
    expect(small.status).toBe(202);
    expect(small.body.jobs).toHaveLength(40);
    expectError(await app.http.post('/v1/jobs/batch', { jobs: jobs(200) }), 413, 'payload_too_large');
  });
});
