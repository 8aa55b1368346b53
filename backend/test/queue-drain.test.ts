import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamEvent } from '@flightdeck/contract';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { startTestFlightdeck, type Person, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, waitForJobStatus, type HttpClient } from './support/http-client';
import { RealtimeClient } from './support/realtime-client';
import { waitFor } from './support/test-services';

// Draining a queue (POST /v1/queues/{name}/drain) on a process with every role: the operator
// workspace ("default") cancels every waiting job of a shared queue, whichever workspace it belongs
// to, each through the single-job cancel path.

let app: TestFlightdeck;
/** An admin of the operator workspace, acting in it. */
let olga: Person;
let operator: HttpClient;
/** Owners of two ordinary workspaces, whose jobs share the queues. */
let ann: Person;
let bob: Person;
let hooks: { url: string; bodies: string[]; close(): Promise<void> };

beforeAll(async () => {
  hooks = await startHookReceiver();
  app = await startTestFlightdeck({ OUTBOUND_ALLOWLIST: '127.0.0.1', WEBHOOK_BACKOFF_MS: '50' });
  olga = await app.signup('Olga Operator');
  expect((await app.http.post('/v1/members', { email: olga.user.email, role: 'admin' })).status).toBe(201);
  operator = olga.in('default');
  ann = await app.signup('Ann');
  bob = await app.signup('Bob');
});
afterAll(async () => {
  await app.stop();
  await hooks.close();
});
afterEach(async () => {
  await app.http.post('/v1/queues/demo/resume');
});

const olgaActor = () => ({ type: 'user', id: olga.user.id, name: 'Olga Operator' });

/** A webhook receiver on 127.0.0.1 that keeps every body it is sent. */
async function startHookReceiver() {
  const bodies: string[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      bodies.push(body);
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A person's socket subscribed to their own workspace, as the console opens it. */
async function workspaceSocket(person: Person): Promise<RealtimeClient> {
  const socket = await RealtimeClient.open(app.url, {
    auth: { workspace: person.slug },
    headers: { cookie: person.cookie, origin: app.url },
  });
  await socket.subscribeOk({ topic: 'workspace' });
  return socket;
}

async function submit(client: HttpClient, jobs: Record<string, unknown>[]): Promise<string[]> {
  const answer = await client.post('/v1/jobs/batch', { jobs });
  expect(answer.status).toBe(202);
  return answer.body.jobs.map((job: { id: string }) => job.id);
}

const sleep = (extra: Record<string, unknown> = {}) => ({ type: 'demo.sleep', payload: { ms: 0 }, ...extra });
/** One job of each waiting kind: queued, prioritized, delayed. */
const waitingKinds = (extra: Record<string, unknown> = {}) => [
  sleep(extra),
  sleep({ priority: 5, ...extra }),
  sleep({ delayMs: 600_000, ...extra }),
];

async function demoQueue() {
  const { body } = await app.http.get('/v1/queues');
  return body.queues.find((queue: { name: string }) => queue.name === 'demo');
}

const cancellations = (events: StreamEvent[]) => events.filter((event) => event.type === 'job.cancelled');

describe('draining a queue', () => {
  it("cancels every waiting job of every workspace, each announced in its own workspace's stream by the operator", async () => {
    const [annSocket, bobSocket] = await Promise.all([workspaceSocket(ann), workspaceSocket(bob)]);
    expect((await operator.post('/v1/queues/demo/pause')).status).toBe(200);
    const annJobs = await submit(ann.http, [...waitingKinds(), sleep({ webhookUrl: hooks.url })]);
    const bobJobs = await submit(bob.http, waitingKinds());
    expect(await demoQueue()).toMatchObject({ counts: { queued: 5, delayed: 2 } });

    const drained = await operator.post('/v1/queues/demo/drain');
    expect(drained.status).toBe(200);
    expect(drained.body).toEqual({
      queue: expect.objectContaining({ name: 'demo', paused: true }),
      drained: 7,
      skipped: 0,
    });
    expect(drained.body.queue.counts).toMatchObject({ queued: 0, delayed: 0, active: 0 });
    // The answer is the queue as GET /v1/queues shows it.
    expect(drained.body.queue).toEqual(await demoQueue());

    // Each workspace hears of its own jobs, attributed to the operator, and of nobody else's.
    for (const [socket, own, other] of [
      [annSocket, annJobs, bobJobs],
      [bobSocket, bobJobs, annJobs],
    ] as const) {
      const events = await socket.waitForEvents('every job cancelled', (all) =>
        own.every((id) => cancellations(all).some((event) => event.jobId === id)),
      );
      for (const event of cancellations(events)) {
        expect(event.actor).toEqual(olgaActor());
        expect(event.job).toMatchObject({ status: 'cancelled' });
      }
      expect(events.filter((event) => other.includes(event.jobId!))).toEqual([]);
    }

    // Like any cancel: the history, the job's activity, its webhook.
    for (const id of annJobs) expect((await ann.http.get(`/v1/jobs/${id}`)).body.status).toBe('cancelled');
    const listed = await bob.http.get('/v1/jobs?status=cancelled');
    expect(listed.body.items.map((job: { id: string }) => job.id).sort()).toEqual([...bobJobs].sort());
    const activity = await ann.http.get(`/v1/jobs/${annJobs[0]}/activity`);
    expect(activity.body.items).toContainEqual(
      expect.objectContaining({ action: 'cancelled', actor: olgaActor(), details: { drainedQueue: 'demo' } }),
    );
    // Each event names its entry in the workspace's activity feed, so a live feed shows it once.
    const annEvents = cancellations(await annSocket.waitForEvents('cancellations', () => true));
    const feed = await ann.http.get('/v1/activity?action=cancelled&limit=200');
    const feedIds = new Set(feed.body.items.map((item: { id: string }) => item.id));
    expect(annEvents).toHaveLength(annJobs.length);
    for (const event of annEvents) {
      expect(event.activity).toEqual({ id: expect.any(String), action: 'cancelled' });
      expect(feedIds.has(event.activity!.id)).toBe(true);
    }
    const hook = await waitFor('the webhook', () => hooks.bodies.find((body) => body.includes(annJobs[3]!)));
    expect(JSON.parse(hook)).toMatchObject({ type: 'job.cancelled', job: { id: annJobs[3], status: 'cancelled' } });

    // Audited in the operator workspace (with the address), and in each workspace it touched (without).
    const audit = await operator.get('/v1/audit?action=queue.drained');
    expect(audit.body.items[0]).toMatchObject({
      action: 'queue.drained',
      actor: olgaActor(),
      target: { type: 'queue', id: 'demo' },
      details: { count: 7, delayed: true, skipped: 0, workspaces: 2 },
      ip: expect.any(String),
    });
    const annAudit = await ann.http.get('/v1/audit?action=queue.drained');
    expect(annAudit.body.items).toEqual([
      expect.objectContaining({
        actor: olgaActor(),
        target: { type: 'queue', id: 'demo' },
        details: { count: 4, delayed: true },
        ip: null,
        userAgent: null,
      }),
    ]);
    annSocket.close();
    bobSocket.close();
  });

  it('leaves delayed jobs with `delayed: false`, and active jobs run on and finish', async () => {
    const [running] = await submit(ann.http, [{ type: 'demo.sleep', payload: { ms: 1_500, steps: 3 } }]);
    await waitForJobStatus(ann.http, running!, 'active');
    expect((await operator.post('/v1/queues/demo/pause')).status).toBe(200);
    const [queued, prioritized, delayed] = await submit(ann.http, waitingKinds());
    const [bobQueued] = await submit(bob.http, [sleep()]);

    const drained = await operator.post('/v1/queues/demo/drain', { delayed: false });
    expect(drained.status).toBe(200);
    expect(drained.body).toMatchObject({ drained: 3, queue: { counts: { queued: 0, delayed: 1 } } });
    for (const id of [queued, prioritized])
      expect((await ann.http.get(`/v1/jobs/${id}`)).body.status).toBe('cancelled');
    expect((await bob.http.get(`/v1/jobs/${bobQueued}`)).body.status).toBe('cancelled');
    expect((await ann.http.get(`/v1/jobs/${delayed}`)).body.status).toBe('delayed');
    expect((await operator.get('/v1/audit?action=queue.drained')).body.items[0].details).toMatchObject({
      count: 3,
      delayed: false,
    });

    const finished = await waitForJobStatus(ann.http, running!, 'completed');
    expect(finished.result).toEqual({ slept: 1_500 });
    // Delayed jobs go with the default body.
    expect((await operator.post('/v1/queues/demo/drain', {})).body).toMatchObject({ drained: 1, skipped: 0 });
    expect((await ann.http.get(`/v1/jobs/${delayed}`)).body.status).toBe('cancelled');
  });

  it("leaves a schedule's upcoming run to the schedule", async () => {
    const schedule = await ann.http.post('/v1/schedules', {
      name: 'nightly',
      cron: '0 3 * * *',
      job: { type: 'demo.sleep', payload: { ms: 0 } },
    });
    expect(schedule.status).toBe(201);
    const [delayed] = await submit(ann.http, [sleep({ delayMs: 600_000 })]);

    const drained = await operator.post('/v1/queues/demo/drain');
    expect(drained.body).toMatchObject({ drained: 1, skipped: 1, queue: { counts: { delayed: 1 } } });
    expect((await ann.http.get(`/v1/jobs/${delayed}`)).body.status).toBe('cancelled');
    const upcoming = await app.queue('demo').getJobs(['delayed']);
    expect(upcoming.map((job) => job.data.scheduleId)).toEqual([schedule.body.id]);
    expect((await ann.http.delete(`/v1/schedules/${schedule.body.id}`)).status).toBe(204);
  });

  it('is refused outside the operator workspace and without queues:write; an unknown queue is 404', async () => {
    expect((await operator.post('/v1/queues/demo/pause')).status).toBe(200);
    const [waiting] = await submit(ann.http, [sleep()]);

    const refused = await ann.http.post('/v1/queues/demo/drain');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/operator workspace/),
    });
    const key = generateApiKey();
    await createApiKey({ workspaceId: app.workspaceId, name: 'reader', key, scopes: ['queues:read'] });
    expect((await httpClient(app.url, key).post('/v1/queues/demo/drain')).status).toBe(403);
    expect((await ann.http.get(`/v1/jobs/${waiting}`)).body.status).toBe('queued');

    const unknown = await operator.post('/v1/queues/nope/drain');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    for (const body of [{ delayed: 'yes' }, { delayed: true, everything: true }, []]) {
      const invalid = await operator.post('/v1/queues/demo/drain', body);
      expect(invalid.status).toBe(422);
      expect(invalid.body.error.code).toBe('validation_failed');
    }
    expect((await operator.post('/v1/queues/demo/drain', '{"delayed":')).status).toBe(400);
    expect((await ann.http.get(`/v1/jobs/${waiting}`)).body.status).toBe('queued');

    // An API key of the operator workspace with queues:write drains too, named as the key.
    const answer = await app.http.post('/v1/queues/demo/drain');
    expect(answer.body.drained).toBe(1);
    const cancelled = await ann.http.get(`/v1/jobs/${waiting}/activity`);
    expect(cancelled.body.items).toContainEqual(
      expect.objectContaining({ action: 'cancelled', actor: expect.objectContaining({ type: 'apiKey' }) }),
    );
  });

  it('pages through a backlog of 1,200 jobs', async () => {
    expect((await operator.post('/v1/queues/demo/pause')).status).toBe(200);
    for (const owner of [ann, bob]) {
      await submit(
        owner.http,
        Array.from({ length: 600 }, (_, index) => sleep(index % 4 === 0 ? { delayMs: 600_000 } : {})),
      );
    }
    expect(await demoQueue()).toMatchObject({ counts: { queued: 900, delayed: 300 } });

    const drained = await operator.post('/v1/queues/demo/drain');
    expect(drained.status).toBe(200);
    expect(drained.body).toMatchObject({ drained: 1_200, skipped: 0, queue: { counts: { queued: 0, delayed: 0 } } });
    expect(await app.queue('demo').getJobCounts('wait', 'prioritized', 'delayed')).toEqual({
      wait: 0,
      prioritized: 0,
      delayed: 0,
    });
    expect((await operator.get('/v1/audit?action=queue.drained')).body.items[0].details).toMatchObject({
      count: 1_200,
      workspaces: 2,
    });
  }, 60_000);
});
