import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { redisKeys } from '@flightdeck/workers';
import { hashApiKey } from '../src/accounts/api-keys';
import { freePort, portAnswers, startRedis, type LocalService } from '../src/services/local-services';
import { httpClient, waitForJobStatus } from './support/http-client';
import {
  destroyAllProcesses,
  destroyProcessesUnder,
  startProcess,
  type FlightdeckProcess,
} from './support/process-harness';
import { testNamespace, waitFor } from './support/test-services';

// The server as `npm start` runs it (`node backend/dist/main.js`), in real child processes.

afterEach(() => destroyAllProcesses());

const newApiKey = () => `fd_test_${randomBytes(16).toString('hex')}`;

const logged = (server: FlightdeckProcess, msg: string) => server.logRecords().filter((record) => record.msg === msg);

describe('npm start without REDIS_URL / MONGODB_URI (embedded default)', () => {
  let dataDir: string;
  let env: Record<string, string | undefined>;
  let redisPort: number;
  let mongoPort: number;
  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'flightdeck-npm-start-'));
    redisPort = await freePort();
    mongoPort = await freePort();
    env = {
      DATA_DIR: dataDir,
      EMBEDDED_REDIS_PORT: String(redisPort),
      EMBEDDED_MONGODB_PORT: String(mongoPort),
      FERRETDB_BIN: process.env.FLIGHTDECK_TEST_FERRETDB_BIN,
    };
  });
  afterEach(async () => {
    await destroyAllProcesses();
    destroyProcessesUnder(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const embeddedServicesStopped = () =>
    waitFor(
      'the embedded Redis and FerretDB to stop',
      async () => !(await portAnswers(redisPort)) && !(await portAnswers(mongoPort)),
    );
  const printedKeys = (server: FlightdeckProcess) =>
    server.logs('stdout').flatMap((line) => /^\s*API key:\s+(\S+)$/.exec(line)?.slice(1) ?? []);

  it('starts its own Redis and FerretDB, prints the first key once, stops them, and keeps the data', async () => {
    const first = await startProcess({ env, waitFor: '/readyz', timeoutMs: 60_000 });
    const redisLog = logged(first, 'REDIS_URL not set: using the embedded Redis');
    const mongoLog = logged(first, 'MONGODB_URI not set: using the embedded FerretDB (MongoDB wire protocol)');
    expect(redisLog).toEqual([
      // Warnings, so that they show at LOG_LEVEL=warn too (pino's 40).
      expect.objectContaining({
        level: 40,
        url: `redis://127.0.0.1:${redisPort}`,
        dataDir: path.join(dataDir, 'redis'),
      }),
    ]);
    expect(mongoLog).toEqual([
      expect.objectContaining({
        level: 40,
        url: expect.stringContaining(`mongodb://127.0.0.1:${mongoPort}/`),
        dataDir: path.join(dataDir, 'ferretdb'),
      }),
    ]);

    // The first-start account and key, printed once.
    expect(printedKeys(first)).toHaveLength(1);
    expect(first.logs('stdout').filter((line) => /owner sign-in: \S+@\S+ \/ \S+/.test(line))).toHaveLength(1);
    const apiKey = printedKeys(first)[0]!;

    const http = httpClient(first.url, apiKey);
    const submitted = await http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 200, steps: 2 } });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id as string;
    expect(await waitForJobStatus(http, id, 'completed')).toMatchObject({ result: { slept: 200 } });
    // Wait for the history (MongoDB) to hold it too, so the restart below reads it from there.
    await waitFor('the history to list the job', async () => {
      const { body } = await http.get('/v1/jobs?status=completed');
      return body.items?.some((item: { id: string }) => item.id === id);
    });

    first.kill('SIGTERM');
    expect(await first.waitForExit()).toEqual({ code: 0, signal: null });
    expect(first.logs('stderr')).toEqual([]);
    await embeddedServicesStopped();

    // Same DATA_DIR: nothing new is printed, the printed key still works, the job is still there.
    const second = await startProcess({ env, waitFor: '/readyz', timeoutMs: 60_000 });
    expect(second.logs('stdout').filter((line) => /API key:|owner sign-in:/.test(line))).toEqual([]);
    const again = httpClient(second.url, apiKey);
    expect(await again.get(`/v1/jobs/${id}`)).toMatchObject({
      status: 200,
      body: { id, status: 'completed', result: { slept: 200 } },
    });
    const listed = await again.get('/v1/jobs?status=completed');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([id]);

    // Ctrl-C in the terminal (SIGINT to the whole process group) while a job runs: the job still
    // completes, because the embedded services stay up until the server has finished with them.
    const running = await again.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 1500, steps: 3 } });
    await waitForJobStatus(again, running.body.id, 'active');
    second.killGroup('SIGINT');
    expect(await second.waitForExit()).toEqual({ code: 0, signal: null });
    expect(second.logs('stderr')).toEqual([]);
    expect(logged(second, 'redis connection error')).toEqual([]);
    await embeddedServicesStopped();

    const third = await startProcess({ env, waitFor: '/readyz', timeoutMs: 60_000 });
    expect((await httpClient(third.url, apiKey).get(`/v1/jobs/${running.body.id}`)).body).toMatchObject({
      status: 'completed',
      result: { slept: 1500 },
    });
    third.kill('SIGTERM');
    expect(await third.waitForExit()).toEqual({ code: 0, signal: null });
    await embeddedServicesStopped();
  }, 120_000);

  it('leaves nothing running after a failed start, and the next start still shows the first key', async () => {
    // The port is taken: the start fails before it creates anything.
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const busyPort = (blocker.address() as net.AddressInfo).port;
    try {
      const busy = await startProcess({ env: { ...env, PORT: String(busyPort) }, waitFor: false });
      expect((await busy.waitForExit()).code).not.toBe(0);
      expect(busy.logs('stderr').join('\n')).toContain('EADDRINUSE');
    } finally {
      blocker.close();
    }
    await embeddedServicesStopped();

    // FerretDB cannot start: the Redis started just before it is stopped again.
    const noFerret = await startProcess({
      env: { ...env, FERRETDB_BIN: path.join(dataDir, 'no-such-ferretdb') },
      waitFor: false,
    });
    expect((await noFerret.waitForExit()).code).not.toBe(0);
    expect(noFerret.logs('stderr').join('\n')).toContain('FerretDB binary not found');
    await embeddedServicesStopped();

    const started = await startProcess({ env, waitFor: '/readyz', timeoutMs: 60_000 });
    expect(printedKeys(started)).toHaveLength(1);
    expect((await httpClient(started.url, printedKeys(started)[0]).get('/v1/jobs')).status).toBe(200);
  }, 120_000);
});

describe('BOOTSTRAP_API_KEY', () => {
  it('makes the key valid for the default workspace, idempotently across restarts', async () => {
    const namespace = testNamespace();
    const apiKey = newApiKey();
    const env = { BOOTSTRAP_API_KEY: apiKey, ROLES: 'api' };

    const first = await startProcess({ namespace, env, waitFor: '/readyz' });
    expect((await httpClient(first.url, apiKey).get('/v1/jobs')).status).toBe(200);
    expect((await httpClient(first.url, newApiKey()).get('/v1/jobs')).status).toBe(401);
    expect(first.logs('stdout').filter((line) => /API key:/.test(line))).toEqual([]);
    first.kill('SIGTERM');
    expect(await first.waitForExit()).toEqual({ code: 0, signal: null });

    const second = await startProcess({ namespace, env, waitFor: '/readyz' });
    expect((await httpClient(second.url, apiKey).get('/v1/jobs')).status).toBe(200);

    const mongo = await mongoose.createConnection(namespace.mongoUrl).asPromise();
    try {
      expect(await mongo.collection('api_keys').countDocuments({ hash: hashApiKey(apiKey) })).toBe(1);
      expect(await mongo.collection('workspaces').countDocuments({ slug: 'default' })).toBe(1);
    } finally {
      await mongo.close();
    }
  });
});

describe('while it starts', () => {
  it('is alive (/healthz 200) and not ready (/readyz and the API 503) until MongoDB answers', async () => {
    // Nothing listens on this port: the start waits for MongoDB (up to its 10 s server selection).
    const namespace = { ...testNamespace(), mongoUrl: `mongodb://127.0.0.1:${await freePort()}/flightdeck` };
    const server = await startProcess({ namespace, env: { ROLES: 'api' }, waitFor: '/healthz' });
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    const api = await fetch(`${server.url}/v1/jobs`);
    expect([api.status, ((await api.json()) as { error: { code: string } }).error.code]).toEqual([
      503,
      'service_unavailable',
    ]);
  });
});

describe('readiness', () => {
  let redisDir: string;
  let redis: LocalService | undefined;
  beforeAll(() => {
    redisDir = mkdtempSync(path.join(os.tmpdir(), 'flightdeck-readyz-'));
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('turns 503 while Redis is unreachable and 200 again when it is back, logging through the logger', async () => {
    const redisPort = await freePort();
    const startOwnRedis = () => startRedis({ port: redisPort, dataDir: redisDir, durable: false });
    redis = await startOwnRedis();
    const namespace = testNamespace();
    const server = await startProcess({
      namespace,
      env: { ROLES: 'api', REDIS_URL: redis.url, BOOTSTRAP_API_KEY: newApiKey() },
      waitFor: '/readyz',
    });
    const readyz = async () => (await fetch(`${server.url}/readyz`)).status;

    await redis.stop();
    await waitFor('/readyz to answer 503', async () => (await readyz()) === 503);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    redis = await startOwnRedis();
    await waitFor('/readyz to answer 200 again', async () => (await readyz()) === 200);
    // Every Redis client reports through pino; none falls back to ioredis's console output.
    expect(server.logs('stderr')).toEqual([]);
  });
});

describe('invalid configuration', () => {
  it('exits non-zero at once, naming every problem', async () => {
    // The namespace keeps a process that wrongly starts from reaching for the embedded defaults.
    const server = await startProcess({
      namespace: testNamespace(),
      env: { PORT: 'abc', ROLES: 'api,nope' },
      waitFor: false,
    });
    const exit = await server.waitForExit(15_000);
    expect(exit.signal).toBeNull();
    expect(exit.code).not.toBe(0);
    const stderr = server.logs('stderr').join('\n');
    expect(stderr).toMatch(/^\s*PORT\b/m);
    expect(stderr).toMatch(/^\s*ROLES\b/m);
    expect(server.logs('stdout').join('\n')).not.toContain('flightdeck is up');
  });
});

describe('a worker told to stop (SIGTERM) mid-job', () => {
  it('finishes the job before it exits with code 0', async () => {
    const namespace = testNamespace();
    const apiKey = newApiKey();
    const api = await startProcess({ namespace, env: { ROLES: 'api', BOOTSTRAP_API_KEY: apiKey }, waitFor: '/readyz' });
    const worker = await startProcess({ namespace, env: { ROLES: 'worker' } });
    const http = httpClient(api.url, apiKey);

    const submitted = await http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 1500, steps: 3 } });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id as string;
    await waitForJobStatus(http, id, 'active');

    worker.kill('SIGTERM');
    expect(await worker.waitForExit()).toEqual({ code: 0, signal: null });
    // The worker reported the job's end before it exited: no other worker exists to run it.
    expect((await http.get(`/v1/jobs/${id}`)).body).toMatchObject({
      status: 'completed',
      result: { slept: 1500 },
      attemptsMade: 1,
    });

    // It ran once: one start, one completion, in the workspace's stream.
    const redis = new Redis(namespace.redisUrl);
    try {
      const [workspaceKey] = await redis.keys(redisKeys(namespace.prefix).workspaceEvents('*'));
      const events = (await redis.xrange(workspaceKey!, '-', '+'))
        .map(
          ([, fields]) => JSON.parse(fields[fields.indexOf('e') + 1]!) as { type: string; jobId?: string; at: string },
        )
        .filter((event) => event.jobId === id);
      const types = events.map((event) => event.type);
      expect(types.filter((type) => type === 'job.active')).toHaveLength(1);
      expect(types.filter((type) => type === 'job.completed')).toHaveLength(1);
      expect(types).not.toContain('job.failed');
      // The signal really came mid-job: the worker began shutting down before the job completed.
      const [shuttingDown] = logged(worker, 'shutting down');
      const completedAt = Date.parse(events.find((event) => event.type === 'job.completed')!.at);
      expect(shuttingDown?.time).toBeLessThan(completedAt);
    } finally {
      redis.disconnect();
    }
  });
});
