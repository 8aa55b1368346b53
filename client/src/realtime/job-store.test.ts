import { buildJob, progressEvent, stateEvent } from '../../test/support/job-factory';
import {
  applyJobEvent,
  compareNewestFirst,
  emptyJobs,
  isWholeJob,
  jobList,
  jobsFromList,
  needsJobFetch,
  rememberJob,
} from './job-store';

const ids = (jobs: ReadonlyMap<string, unknown>) => [...jobs.keys()];

describe('jobsFromList', () => {
  it('orders jobs newest first whatever order they come in, and keeps at most maxJobs', () => {
    const [a, b, c] = [buildJob(), buildJob(), buildJob()];
    expect(ids(jobsFromList([b!, a!, c!]))).toEqual([c!.id, b!.id, a!.id]);
    expect(ids(jobsFromList([a!, b!, c!], 2))).toEqual([c!.id, b!.id]);
  });

  it('breaks creation-time ties by id, newest id first', () => {
    const createdAt = '2026-01-01T00:00:00.000Z';
    const [a, b] = [buildJob({ createdAt }), buildJob({ createdAt })];
    expect(compareNewestFirst(a!, b!)).toBeGreaterThan(0);
    expect(ids(jobsFromList([a!, b!]))).toEqual([b!.id, a!.id]);
  });
});

describe('applyJobEvent', () => {
  it('puts a new job first', () => {
    const old = buildJob();
    const fresh = buildJob();
    const jobs = applyJobEvent(jobsFromList([old]), stateEvent(2, 'job.queued', fresh));
    expect(ids(jobs)).toEqual([fresh.id, old.id]);
  });

  it('places an older job it learns about late where its creation time says', () => {
    const [oldest, middle, newest] = [buildJob(), buildJob(), buildJob()];
    const jobs = applyJobEvent(
      jobsFromList([newest!, oldest!]),
      stateEvent(5, 'job.failed', { ...middle!, status: 'failed' }),
    );
    expect(ids(jobs)).toEqual([newest!.id, middle!.id, oldest!.id]);
  });

  it('replaces a known job with the whole job of a state change, keeping its place', () => {
    const [a, b] = [buildJob(), buildJob()];
    const done = { ...a!, status: 'completed' as const, progress: 100, result: { slept: 1000 } };
    const jobs = applyJobEvent(jobsFromList([a!, b!]), stateEvent(3, 'job.completed', done));
    expect(ids(jobs)).toEqual([b!.id, a!.id]);
    expect(jobs.get(a!.id)).toEqual(done);
  });

  it('merges a progress event into the known job and leaves the rest of it alone', () => {
    const job = buildJob({ status: 'active', startedAt: '2026-01-01T00:01:00.000Z' });
    const jobs = applyJobEvent(jobsFromList([job]), progressEvent(4, job.id, 40));
    expect(jobs.get(job.id)).toEqual({ ...job, progress: 40 });
  });

  it('returns the same map when an event changes nothing, so views can compare by identity', () => {
    const job = buildJob({ status: 'active', progress: 40 });
    const before = jobsFromList([job]);
    expect(applyJobEvent(before, progressEvent(4, job.id, 40))).toBe(before);
    expect(
      applyJobEvent(before, {
        seq: 5,
        type: 'job.log',
        jobId: job.id,
        job: { id: job.id, status: 'active' },
        lines: ['x'],
        at: '',
      }),
    ).toBe(before);
    expect(applyJobEvent(before, { seq: 6, type: 'job.queued', at: '' })).toBe(before);
  });

  it('drops a partial event about a job it does not know, and says so', () => {
    const before = emptyJobs();
    const event = progressEvent(4, 'unknown', 50);
    expect(needsJobFetch(before, event)).toBe(true);
    expect(applyJobEvent(before, event)).toBe(before);
  });

  it('ignores a late progress event for a job that already ended (a REST load can be ahead of the stream)', () => {
    const job = buildJob({ status: 'completed', progress: 100 });
    const before = jobsFromList([job]);
    expect(applyJobEvent(before, progressEvent(7, job.id, 50))).toBe(before);
    expect(needsJobFetch(before, progressEvent(7, job.id, 50))).toBe(false);
  });

  it('ignores a late progress event that carries the whole job, and the job that notes carry', () => {
    const job = buildJob({ status: 'completed', progress: 100 });
    const before = jobsFromList([job]);
    const running = { ...job, status: 'active' as const, progress: 50 };
    expect(
      applyJobEvent(before, { seq: 7, type: 'job.progress', jobId: job.id, job: running, at: job.createdAt }),
    ).toBe(before);
    const comment = {
      id: 'c1',
      jobId: job.id,
      body: 'hi',
      author: { type: 'user' as const, id: 'u', name: 'U' },
      createdAt: job.createdAt,
    };
    const note = { seq: 8, type: 'comment.created' as const, jobId: job.id, job: running, comment, at: job.createdAt };
    expect(applyJobEvent(before, note)).toBe(before);
  });

  it('still takes a partial state change of an ended job (a retry after its snapshot expired)', () => {
    const job = buildJob({ status: 'failed', error: { message: 'demo failure' } });
    const jobs = applyJobEvent(jobsFromList([job]), {
      seq: 9,
      type: 'job.queued',
      jobId: job.id,
      job: { id: job.id, status: 'queued', error: null },
      at: '',
    });
    expect(jobs.get(job.id)).toMatchObject({ status: 'queued', error: null, type: 'demo.sleep' });
  });

  it('drops the oldest jobs beyond maxJobs', () => {
    const [a, b, c] = [buildJob(), buildJob(), buildJob()];
    const jobs = applyJobEvent(jobsFromList([a!, b!]), stateEvent(1, 'job.queued', c!), 2);
    expect(ids(jobs)).toEqual([c!.id, b!.id]);
  });

  it('follows a job through its life to the final state', () => {
    const queued = buildJob();
    let jobs = applyJobEvent(emptyJobs(), stateEvent(1, 'job.queued', queued));
    jobs = applyJobEvent(jobs, stateEvent(2, 'job.active', { ...queued, status: 'active' }));
    jobs = applyJobEvent(jobs, progressEvent(3, queued.id, 50));
    jobs = applyJobEvent(jobs, progressEvent(4, queued.id, 100));
    jobs = applyJobEvent(jobs, stateEvent(5, 'job.completed', { ...queued, status: 'completed', progress: 100 }));
    expect(jobList(jobs)).toEqual([expect.objectContaining({ id: queued.id, status: 'completed', progress: 100 })]);
  });
});

describe('rememberJob', () => {
  it('adds a job the store does not know, but never overrides what the stream said', () => {
    const job = buildJob();
    const jobs = rememberJob(emptyJobs(), job);
    expect(jobs.get(job.id)).toBe(job);
    const active = applyJobEvent(jobs, stateEvent(2, 'job.active', { ...job, status: 'active' }));
    expect(rememberJob(active, job)).toBe(active);
  });
});

describe('isWholeJob', () => {
  it('tells whole jobs from partial ones', () => {
    expect(isWholeJob(buildJob())).toBe(true);
    expect(isWholeJob({ id: 'x', status: 'active', progress: 3 })).toBe(false);
    expect(isWholeJob(undefined)).toBe(false);
  });
});
