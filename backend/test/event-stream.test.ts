import { Redis } from 'ioredis';
import { countCommands } from './support/redis-command-count';
import { JobEventStream, decodeWorkspaceEntry, redisKeys, type EventDraft } from '@flightdeck/workers';
import { testNamespace } from './support/test-services';

const OPTIONS = { retainedEvents: 10_000, snapshotTtlSeconds: 60 };

const progress = (jobId: string, percent: number): EventDraft => ({
  type: 'job.progress',
  jobId,
  job: { id: jobId, status: 'active', progress: percent },
});

/** Counts the script calls (`EVALSHA`/`EVAL`) a connection makes. */
const countScriptCalls = (redis: Redis) => countCommands(redis, ['evalsha', 'eval']);

describe('JobEventStream (real Redis)', () => {
  const namespace = testNamespace();
  const keys = redisKeys(namespace.prefix);
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(namespace.redisUrl, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('merges appends made while one is in flight into one call, each caller getting its own seqs in order', async () => {
    const stream = new JobEventStream(redis, keys, OPTIONS);
    // Redis knows the script after one call (the first may be EVALSHA, refused, then EVAL).
    await stream.append('ws-warm-up', [progress('warm-up', 1)]);
    const scriptCalls = countScriptCalls(redis);
    const workspace = 'ws-merge';
    // Fifty appends at once, as fifty concurrent jobs of one worker make them.
    const appends = Array.from({ length: 50 }, (_, index) =>
      stream.append(workspace, [progress(`job-${index}`, 10), progress(`job-${index}`, 20)]),
    );
    const seqs = await Promise.all(appends);

    // The first went alone; the 49 that waited for it went together.
    expect(scriptCalls()).toBe(2);
    expect(seqs.flat()).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    seqs.forEach((pair) => expect(pair).toHaveLength(2));

    const events = (await redis.xrange(keys.workspaceEvents(workspace), '-', '+')).map(decodeWorkspaceEntry);
    expect(events.map((event) => event.seq)).toEqual(seqs.flat());
    // Each caller's events are where its seqs say, in the order it made them.
    seqs.forEach(([first, second], index) => {
      expect(events[first! - 1]).toMatchObject({ jobId: `job-${index}`, job: { progress: 10 } });
      expect(events[second! - 1]).toMatchObject({ jobId: `job-${index}`, job: { progress: 20 } });
    });
  });

  it('keeps workspaces apart: appends of two workspaces never share a call or a seq sequence', async () => {
    const stream = new JobEventStream(redis, keys, OPTIONS);
    const [a1, b1, a2, b2] = await Promise.all([
      stream.append('ws-a', [progress('a-1', 1)]),
      stream.append('ws-b', [progress('b-1', 1)]),
      stream.append('ws-a', [progress('a-2', 1)]),
      stream.append('ws-b', [progress('b-2', 1)]),
    ]);
    expect([a1, a2, b1, b2]).toEqual([[1], [2], [1], [2]]);
    const jobsOf = async (workspace: string) =>
      (await redis.xrange(keys.workspaceEvents(workspace), '-', '+')).map((entry) => decodeWorkspaceEntry(entry).jobId);
    expect(await jobsOf('ws-a')).toEqual(['a-1', 'a-2']);
    expect(await jobsOf('ws-b')).toEqual(['b-1', 'b-2']);
  });

  it('sends a large append whole, and merges no more than fit beside it', async () => {
    const stream = new JobEventStream(redis, keys, OPTIONS);
    const scriptCalls = countScriptCalls(redis);
    const big = Array.from({ length: 600 }, (_, index) => progress(`big-${index}`, 5));
    const results = await Promise.all([
      stream.append('ws-big', [progress('first', 1)]),
      stream.append('ws-big', big),
      stream.append('ws-big', [progress('after', 1)]),
    ]);
    // The first alone; the 600 alone (over the merge bound); the last after them.
    expect(scriptCalls()).toBe(3);
    expect(results[0]).toEqual([1]);
    expect(results[1]).toEqual(Array.from({ length: 600 }, (_, index) => index + 2));
    expect(results[2]).toEqual([602]);
  });

  it('skips, whole and without a seq, a draft of an attempt the snapshot records as ended', async () => {
    const stream = new JobEventStream(redis, keys, OPTIONS);
    const workspace = 'ws-guard';
    const jobId = 'guarded';
    const completed = (result: string): EventDraft => ({
      type: 'job.completed',
      jobId,
      job: { id: jobId, status: 'completed', progress: 100, result, attemptsMade: 1 },
      attempt: 1,
    });
    await stream.append(workspace, [
      { type: 'job.active', jobId, job: { id: jobId, status: 'active', attemptsMade: 0 } },
    ]);
    // The first end of attempt 1 lands; a second one (the worker's late append after the
    // reconciler's) and that attempt's stray progress do not, even within one call.
    expect(
      await stream.append(workspace, [completed('first'), completed('second'), { ...progress(jobId, 50), attempt: 1 }]),
    ).toEqual([2, 0, 0]);
    // A draft without a guard is never skipped, and the seqs stay gapless.
    expect(await stream.append(workspace, [progress('other', 5)])).toEqual([3]);

    const events = (await redis.xrange(keys.workspaceEvents(workspace), '-', '+')).map(decodeWorkspaceEntry);
    expect(events.map((event) => [event.seq, event.type])).toEqual([
      [1, 'job.active'],
      [2, 'job.completed'],
      [3, 'job.progress'],
    ]);
    const snapshot = await redis.hgetall(keys.jobSnapshot(jobId));
    expect([snapshot.status, snapshot.result, snapshot.progress]).toEqual(['"completed"', '"first"', '100']);
  });

  it('fails every append a failed call carried, and goes on with the next ones', async () => {
    const broken = new Redis(namespace.redisUrl, { maxRetriesPerRequest: null });
    try {
      const stream = new JobEventStream(broken, keys, OPTIONS);
      // The workspace's seq key holds a value INCR cannot count from: the script fails.
      await broken.set(keys.workspaceSeq('ws-broken'), 'not a number');
      const first = stream.append('ws-broken', [progress('x', 1)]);
      const merged = [stream.append('ws-broken', [progress('y', 1)]), stream.append('ws-broken', [progress('z', 1)])];
      await expect(first).rejects.toThrow();
      for (const append of merged) await expect(append).rejects.toThrow();

      await broken.del(keys.workspaceSeq('ws-broken'));
      await expect(stream.append('ws-broken', [progress('w', 1)])).resolves.toEqual([1]);
    } finally {
      await broken.quit();
    }
  });
});
