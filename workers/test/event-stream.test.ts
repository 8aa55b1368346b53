import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { JobEventStream, decodeWorkspaceEntry } from '../src/event-stream';
import { decodeSnapshot } from '../src/job-snapshot';
import { redisKeys } from '../src/redis-keys';

// Real Redis from the test run's global set-up; a fresh key prefix for this file.
const redis = new Redis(process.env.FLIGHTDECK_TEST_REDIS_URL!);
const keys = redisKeys(`t${randomBytes(5).toString('hex')}`);
afterAll(() => redis.quit());

const queued = (id: string) => ({
  type: 'job.queued' as const,
  jobId: id,
  job: { id, status: 'queued' as const, type: 'demo.sleep' },
});

describe('JobEventStream', () => {
  it('gives each workspace strictly growing seqs, concurrent appenders included', async () => {
    const stream = new JobEventStream(redis, keys, { retainedEvents: 10_000, snapshotTtlSeconds: 60 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) => stream.append('ws-a', [queued(`a${index}`)])),
    );
    const seqs = answers.flat().sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect(await stream.append('ws-b', [queued('b1'), queued('b2')])).toEqual([1, 2]);

    const entries = await redis.xrange(keys.workspaceEvents('ws-a'), '-', '+');
    expect(entries.map(([id]) => id)).toEqual(seqs.map((seq) => `0-${seq}`));
    expect(JSON.parse(entries[0]![1][1]!)).toMatchObject({
      type: 'job.queued',
      jobId: expect.any(String),
      at: expect.any(String),
    });
  });

  it('merges each event into the job snapshot, with the owning workspace', async () => {
    const stream = new JobEventStream(redis, keys, { retainedEvents: 10_000, snapshotTtlSeconds: 60 });
    await stream.append('ws-c', [queued('c1')]);
    await stream.append('ws-c', [
      { type: 'job.progress', jobId: 'c1', job: { id: 'c1', status: 'active', progress: 30 } },
    ]);
    const snapshot = decodeSnapshot(await redis.hgetall(keys.jobSnapshot('c1')));
    expect(snapshot).toMatchObject({
      id: 'c1',
      type: 'demo.sleep',
      status: 'active',
      progress: 30,
      workspaceId: 'ws-c',
      seq: 2,
    });
    expect(await redis.ttl(keys.jobSnapshot('c1'))).toBeGreaterThan(0);
  });

  it('retains about the configured number of events per workspace and feeds every one to history', async () => {
    const stream = new JobEventStream(redis, keys, { retainedEvents: 100, snapshotTtlSeconds: 60 });
    const before = await redis.xlen(keys.history);
    for (let batch = 0; batch < 10; batch++) {
      await stream.append(
        'ws-d',
        Array.from({ length: 50 }, (_, index) => queued(`d${batch}-${index}`)),
      );
    }
    const retained = await redis.xlen(keys.workspaceEvents('ws-d'));
    expect(retained).toBeGreaterThanOrEqual(100);
    expect(retained).toBeLessThan(500);
    expect((await redis.xlen(keys.history)) - before).toBe(500);
  });
});

describe('decodeWorkspaceEntry', () => {
  it('gives state changes the whole job, and progress and log events only what changed', async () => {
    const stream = new JobEventStream(redis, keys, { retainedEvents: 1_000, snapshotTtlSeconds: 60 });
    const job = {
      id: 'e1',
      type: 'demo.sleep',
      queue: 'demo',
      status: 'queued' as const,
      payload: { ms: 5 },
      createdAt: new Date().toISOString(),
    };
    await stream.append('ws-e', [{ type: 'job.queued', jobId: 'e1', job }]);
    await stream.append('ws-e', [
      { type: 'job.progress', jobId: 'e1', job: { id: 'e1', status: 'active', progress: 50 } },
      { type: 'job.log', jobId: 'e1', job: { id: 'e1', status: 'active' }, lines: ['half way'] },
    ]);
    // Merged into the job's snapshot all the same (REST reads it from there).
    expect(await redis.hmget(keys.jobSnapshot('e1'), 'status', 'progress')).toEqual(['"active"', '50']);
    await stream.append('ws-e', [
      {
        type: 'job.completed',
        jobId: 'e1',
        job: { id: 'e1', status: 'completed', progress: 100, result: { slept: 5 } },
      },
    ]);
    const events = (await redis.xrange(keys.workspaceEvents('ws-e'), '-', '+')).map(decodeWorkspaceEntry);
    expect(events.map((event) => [event.seq, event.type])).toEqual([
      [1, 'job.queued'],
      [2, 'job.progress'],
      [3, 'job.log'],
      [4, 'job.completed'],
    ]);
    // The contract lets the chattiest events carry only what changed: no snapshot read for them.
    expect(events[1]!.job).toEqual({ id: 'e1', status: 'active', progress: 50 });
    expect(events[2]!.job).toEqual({ id: 'e1', status: 'active' });
    expect(events[2]!.lines).toEqual(['half way']);
    expect(events[3]!.job).toMatchObject({
      id: 'e1',
      type: 'demo.sleep',
      status: 'completed',
      progress: 100,
      payload: { ms: 5 },
      result: { slept: 5 },
      createdAt: job.createdAt,
    });
  });
});
