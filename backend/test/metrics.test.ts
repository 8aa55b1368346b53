import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QUEUE_NAMES } from '@flightdeck/workers';
import { freePort, startRedis, type LocalService } from '../src/services/local-services';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, type HttpClient } from './support/http-client';
import { RealtimeClient } from './support/realtime-client';
import { waitFor } from './support/test-services';

// The product metrics of /metrics (deploy/monitoring reads them): queue depth by state, age of the
// oldest waiting job, job durations and outcomes recorded by the worker runtime, history backlog,
// packets buffered for slow sockets, and whether Redis and MongoDB answer.

/** One sample's value from Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('product metrics at /metrics', () => {
  let app: TestFlightdeck;
  let scrape: () => Promise<string>;
  beforeAll(async () => {
    app = await startTestFlightdeck();
    const anonymous: HttpClient = httpClient(app.url);
    scrape = async () => {
      const answer = await anonymous.get('/metrics');
      expect(answer.status).toBe(200);
      return answer.body as string;
    };
  });
  afterAll(async () => {
    await app?.stop();
  });

  const submit = async (body: Record<string, unknown>) => {
    const answer = await app.http.post('/v1/jobs', body);
    expect(answer.status).toBe(202);
    return answer.body.id as string;
  };
  const settled = (id: string, status: string) =>
    waitFor(`job ${id} to be ${status}`, async () => (await app.http.get(`/v1/jobs/${id}`)).body.status === status);

  it('serves the metrics on their exact path only, so an edge that blocks /metrics blocks every spelling', async () => {
    expect(await scrape()).toContain('flightdeck_queue_jobs');
    const anonymous = httpClient(app.url);
    for (const spelling of ['/METRICS', '/Metrics', '/metrics/']) {
      const answer = await anonymous.get(spelling);
      expect(String(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body))).not.toContain(
        'flightdeck_queue_jobs',
      );
    }
  });

  it('records durations and outcomes of job attempts, by queue, type and outcome', async () => {
    await settled(await submit({ type: 'demo.sleep', payload: { ms: 50 } }), 'completed');
    const failing = await submit({
      type: 'demo.sleep',
      payload: { ms: 0, fail: true },
      attempts: 2,
      backoff: { type: 'fixed', delayMs: 0 },
    });
    await settled(failing, 'failed');

    const text = await scrape();
    const labels = (outcome: string) => `{queue="demo",type="demo.sleep",outcome="${outcome}"}`;
    expect(sample(text, `flightdeck_jobs_finished_total${labels('completed')}`)).toBe(1);
    expect(sample(text, `flightdeck_jobs_finished_total${labels('retried')}`)).toBe(1);
    expect(sample(text, `flightdeck_jobs_finished_total${labels('failed')}`)).toBe(1);
    expect(sample(text, `flightdeck_job_duration_seconds_count${labels('completed')}`)).toBe(1);
    // The completed attempt slept 50 ms: its duration lands above the 0.05 s bucket's bound... or on it.
    expect(sample(text, `flightdeck_job_duration_seconds_sum${labels('completed')}`)).toBeGreaterThanOrEqual(0.045);
    expect(sample(text, 'flightdeck_queue_jobs{queue="demo",state="completed"}')).toBe(1);
    expect(sample(text, 'flightdeck_queue_jobs{queue="demo",state="failed"}')).toBe(1);
  });

  it('reports queue depth by state and the age of the oldest waiting job', async () => {
    expect(sample(await scrape(), 'flightdeck_queue_oldest_waiting_seconds{queue="demo"}')).toBe(0);
    await submit({ type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 });
    expect((await app.http.post('/v1/queues/demo/pause')).status).toBe(200);
    try {
      await submit({ type: 'demo.sleep', payload: { ms: 0 } });
      await submit({ type: 'demo.sleep', payload: { ms: 0 } });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const text = await scrape();
      expect(sample(text, 'flightdeck_queue_jobs{queue="demo",state="wait"}')).toBe(2);
      expect(sample(text, 'flightdeck_queue_jobs{queue="demo",state="delayed"}')).toBe(1);
      expect(sample(text, 'flightdeck_queue_jobs{queue="demo",state="active"}')).toBe(0);
      expect(sample(text, 'flightdeck_queue_jobs{queue="demo",state="prioritized"}')).toBe(0);
      // The delayed job is not ready yet: it does not count as waiting.
      const age = sample(text, 'flightdeck_queue_oldest_waiting_seconds{queue="demo"}')!;
      expect(age).toBeGreaterThanOrEqual(1);
      expect(age).toBeLessThan(60);
      for (const queue of [...QUEUE_NAMES, 'webhooks']) {
        expect(sample(text, `flightdeck_queue_jobs{queue="${queue}",state="wait"}`)).toBeDefined();
      }
    } finally {
      await app.http.post('/v1/queues/demo/resume');
    }
  });

  it('reports that Redis and MongoDB answer', async () => {
    const text = await scrape();
    expect(sample(text, 'flightdeck_dependency_up{dependency="redis"}')).toBe(1);
    expect(sample(text, 'flightdeck_dependency_up{dependency="mongodb"}')).toBe(1);
  });

  it('reports the packets buffered for a client that stops reading, and none once it reads again', async () => {
    const buffered = async () => sample(await scrape(), 'flightdeck_socket_buffered_packets');
    expect(await buffered()).toBe(0);
    // A long-polling client that stops polling: what the gateway sends it waits in its buffer.
    const slow = await RealtimeClient.open(app.url, { auth: { token: app.apiKey } }, 'polling');
    try {
      await slow.subscribeOk({ topic: 'workspace' });
      // Stopping waits for the poll in flight to end; the first event of a job ends it.
      const stopped = slow.stopPolling();
      await submit({ type: 'demo.sleep', payload: { ms: 0 } });
      await stopped;
      const batch = await app.http.post('/v1/jobs/batch', {
        jobs: Array.from({ length: 10 }, () => ({ type: 'demo.sleep', payload: { ms: 0 } })),
      });
      expect(batch.status).toBe(202);
      // The gateway's sweep sets the gauge every 500 ms; each job sends several events.
      await waitFor('buffered packets to be reported', async () => ((await buffered()) ?? 0) >= 10);

      slow.resumePolling();
      await waitFor('the buffer to drain', async () => (await buffered()) === 0);
    } finally {
      slow.close();
    }
  });

  it('reports the history backlog as the length of the history stream', async () => {
    // Once the jobs above have run and the projector has caught up, the stream holds at most the
    // last projected entry (the projector trims below its cursor), and the gauge says so.
    await waitFor('demo queue to drain', async () => {
      const text = await scrape();
      return ['wait', 'active'].every(
        (state) => sample(text, `flightdeck_queue_jobs{queue="demo",state="${state}"}`) === 0,
      );
    });
    const drained = await waitFor('history backlog to drain', async () => {
      const reported = sample(await scrape(), 'flightdeck_history_backlog_events');
      return reported !== undefined && reported <= 1 ? { reported } : null;
    });
    expect(drained.reported).toBe(await app.redis.xlen(app.keys.history));
  });
});

describe('/metrics while Redis is down', () => {
  let redis: LocalService;
  let redisPort: number;
  let dataDir: string;
  let app: TestFlightdeck;
  let anonymous: HttpClient;
  beforeAll(async () => {
    // A Redis of its own, which this test stops and starts again (the run's shared one stays up).
    redisPort = await freePort();
    dataDir = mkdtempSync(path.join(tmpdir(), 'fd-metrics-redis-'));
    redis = await startRedis({ port: redisPort, dataDir, durable: false });
    app = await startTestFlightdeck({ REDIS_URL: redis.url, ROLES: 'api' });
    anonymous = httpClient(app.url);
  });
  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const scrape = async () => {
    const answer = await anonymous.get('/metrics');
    expect(answer.status).toBe(200);
    return answer.body as string;
  };

  it('still answers, with flightdeck_dependency_up at 0 for Redis, and 1 again once it is back', async () => {
    let text = await scrape();
    expect(sample(text, 'flightdeck_dependency_up{dependency="redis"}')).toBe(1);
    expect(sample(text, 'flightdeck_queue_jobs{queue="demo",state="wait"}')).toBe(0);

    await redis.stop();
    text = await scrape();
    expect(sample(text, 'flightdeck_dependency_up{dependency="redis"}')).toBe(0);
    expect(sample(text, 'flightdeck_dependency_up{dependency="mongodb"}')).toBe(1);
    // Gauges read from Redis drop their series rather than fail the scrape or repeat old values.
    expect(sample(text, 'flightdeck_queue_jobs{queue="demo",state="wait"}')).toBeUndefined();

    redis = await startRedis({ port: redisPort, dataDir, durable: false });
    await waitFor('Redis to be reported up again', async () => {
      const again = await scrape();
      return sample(again, 'flightdeck_dependency_up{dependency="redis"}') === 1;
    });
    expect(sample(await scrape(), 'flightdeck_queue_jobs{queue="demo",state="wait"}')).toBe(0);
  });
});
