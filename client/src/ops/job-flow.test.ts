import type { Job, JobEventType, StreamEvent } from '@flightdeck/contract';
import { buildJob } from '../../test/support/job-factory';
import { JobFlow } from './job-flow';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
let seq = 0;

function event(type: JobEventType, job: Job, at: number): StreamEvent {
  return { seq: ++seq, type, jobId: job.id, job, at: iso(at) };
}
const finished = (type: 'job.completed' | 'job.failed', at: number) =>
  event(
    type,
    buildJob({
      status: type === 'job.completed' ? 'completed' : 'failed',
      finishedAt: iso(at),
      startedAt: iso(at - 1),
    }),
    at,
  );
function started(createdAt: number, startedAt: number, overrides: Partial<Job> = {}) {
  return event(
    'job.active',
    buildJob({ status: 'active', createdAt: iso(createdAt), startedAt: iso(startedAt), ...overrides }),
    startedAt,
  );
}

describe('JobFlow', () => {
  it('counts completions per second over the last ten seconds', () => {
    const flow = new JobFlow(T0);
    for (let index = 0; index < 20; index++) flow.record(finished('job.completed', T0 + 30_250 + index * 250));
    const now = T0 + 40_000;
    expect(flow.figures(now).completedPerSecond).toBe(2);
    const series = flow.throughput(now);
    expect(series.x.at(-1)).toBe(now / 1000);
    expect(series.x[0]).toBe((T0 + 5_000) / 1000);
    expect(series.lines[0]!.values.at(-1)).toBe(2);
    expect(series.lines[0]!.values[0]).toBe(0);
  });

  it('counts each finish once, however often its event comes', () => {
    const flow = new JobFlow(T0);
    const done = finished('job.completed', T0 + 5_000);
    flow.record(done);
    flow.record({ ...done, seq: done.seq + 100 });
    expect(flow.figures(T0 + 10_000).completedPerSecond).toBe(0.1);
  });

  it('reports failures per minute and their share of finished jobs', () => {
    const flow = new JobFlow(T0 - 120_000);
    for (let index = 0; index < 3; index++) flow.record(finished('job.failed', T0 + index * 1_000));
    for (let index = 0; index < 9; index++) flow.record(finished('job.completed', T0 + index * 1_000));
    const figures = flow.figures(T0 + 30_000);
    expect(figures.failuresPerMinute).toBe(3);
    expect(figures.failureShare).toBe(0.25);
    expect(flow.failureRate(T0 + 30_000).lines[1]!.values.at(-1)).toBe(25);
    // Nothing finished in the last minute: no share, not 0 %.
    expect(flow.figures(T0 + 90_000).failureShare).toBeNull();
  });

  it('scales a rate by the time it listened when that is shorter than the window', () => {
    const flow = new JobFlow(T0);
    flow.record(finished('job.failed', T0 + 10_000));
    expect(flow.figures(T0 + 30_000).failuresPerMinute).toBe(2);
  });

  it('takes latency from submit (or the due time of a delayed job) to start, first attempts only', () => {
    const flow = new JobFlow(T0);
    for (let index = 1; index <= 20; index++) flow.record(started(T0, T0 + index * 100));
    // Delayed until T0 + 50 s, started 300 ms later: 300 ms, not 50 s.
    flow.record(started(T0, T0 + 50_300, { runAt: iso(T0 + 50_000) }));
    // A retry's start is not queueing time.
    flow.record(started(T0, T0 + 55_000, { attemptsMade: 1 }));
    const figures = flow.figures(T0 + 56_000);
    expect(figures.latencyP50Ms).toBe(1_000);
    expect(figures.latencyP95Ms).toBeCloseTo(1_900, 0);
    // A minute later only the delayed job's start is in the window.
    expect(flow.figures(T0 + 100_000)).toMatchObject({ latencyP50Ms: 300, latencyP95Ms: 300 });
    expect(flow.figures(T0 + 200_000)).toMatchObject({ latencyP50Ms: null, latencyP95Ms: null });
  });

  it('draws nothing before it began listening, and forgets what left the window', () => {
    const flow = new JobFlow(T0, { windowMs: 60_000 });
    expect(flow.throughput(T0 + 2_000).x).toEqual([]);
    flow.record(finished('job.completed', T0 + 1_000));
    flow.prune(T0 + 200_000);
    expect(flow.figures(T0 + 200_000).completedPerSecond).toBe(0);
    expect(flow.throughput(T0 + 200_000).x).toHaveLength(13);
  });
});
