import { isWholeJob, jobAfterEvent, reduceJobEvent, type Job } from '@flightdeck/contract';
import { buildJob, progressEvent, stateEvent } from '../../test/support/job-factory';
import { applyEventToRows, compareNewestFirst, rememberJob } from './jobs-list';

// The contract's job reducer (contract/src/job-event-reducer.ts: the rules every holder of a job
// applies), tested here because the client's Jest project compiles the contract from source; and how
// a view's rows order the jobs it gives (moved from the workspace-wide job store, which is gone).

const ids = (rows: readonly Job[]) => rows.map((job) => job.id);
const everything = { complete: true };

describe('reduceJobEvent', () => {
  it('takes a new job whole, and replaces a known job with the whole job of a state change', () => {
    const job = buildJob();
    expect(reduceJobEvent(undefined, stateEvent(2, 'job.queued', job))).toEqual({ kind: 'changed', job });
    const done = { ...job, status: 'completed' as const, progress: 100, result: { slept: 1000 } };
    expect(reduceJobEvent(job, stateEvent(3, 'job.completed', done))).toEqual({ kind: 'changed', job: done });
  });

  it('merges a progress event into the known job and leaves the rest of it alone', () => {
    const job = buildJob({ status: 'active', startedAt: '2026-01-01T00:01:00.000Z' });
    expect(jobAfterEvent(job, progressEvent(4, job.id, 40))).toEqual({ ...job, progress: 40 });
  });

  it('returns the same job when an event changes nothing, so views can compare by identity', () => {
    const job = buildJob({ status: 'active', progress: 40 });
    expect(jobAfterEvent(job, progressEvent(4, job.id, 40))).toBe(job);
    expect(
      jobAfterEvent(job, {
        seq: 5,
        type: 'job.log',
        jobId: job.id,
        job: { id: job.id, status: 'active' },
        lines: ['x'],
        at: '',
      }),
    ).toBe(job);
    expect(reduceJobEvent(job, { seq: 6, type: 'job.queued', at: '' })).toEqual({ kind: 'same' });
  });

  it('says when a partial event is about a job it does not know', () => {
    expect(reduceJobEvent(undefined, progressEvent(4, 'unknown', 50))).toEqual({ kind: 'unknown', id: 'unknown' });
  });

  it('ignores a late progress event for a job that already ended (a REST load can be ahead of the stream)', () => {
    const job = buildJob({ status: 'completed', progress: 100 });
    expect(reduceJobEvent(job, progressEvent(7, job.id, 50))).toEqual({ kind: 'same' });
  });

  it('ignores a late progress event that carries the whole job, and the job that comments carry', () => {
    const job = buildJob({ status: 'completed', progress: 100 });
    const running = { ...job, status: 'active' as const, progress: 50 };
    expect(jobAfterEvent(job, { seq: 7, type: 'job.progress', jobId: job.id, job: running, at: job.createdAt })).toBe(
      job,
    );
    const comment = {
      id: 'c1',
      jobId: job.id,
      body: 'hi',
      author: { type: 'user' as const, id: 'u', name: 'U' },
      createdAt: job.createdAt,
    };
    const note = { seq: 8, type: 'comment.created' as const, jobId: job.id, job: running, comment, at: job.createdAt };
    expect(jobAfterEvent(job, note)).toBe(job);
  });

  it('still takes a partial state change of an ended job (a retry after its snapshot expired)', () => {
    const job = buildJob({ status: 'failed', error: { message: 'demo failure' } });
    const after = jobAfterEvent(job, {
      seq: 9,
      type: 'job.queued',
      jobId: job.id,
      job: { id: job.id, status: 'queued', error: null },
      at: '',
    });
    expect(after).toMatchObject({ status: 'queued', error: null, type: 'demo.sleep' });
  });

  it('changes nothing of a job the event is not about', () => {
    const [job, other] = [buildJob(), buildJob()];
    expect(reduceJobEvent(job, stateEvent(3, 'job.active', { ...other!, status: 'active' }))).toEqual({ kind: 'same' });
  });

  it('follows a job through its life to the final state', () => {
    const queued = buildJob();
    let rows: readonly Job[] = [];
    for (const event of [
      stateEvent(1, 'job.queued', queued),
      stateEvent(2, 'job.active', { ...queued, status: 'active' }),
      progressEvent(3, queued.id, 50),
      progressEvent(4, queued.id, 100),
      stateEvent(5, 'job.completed', { ...queued, status: 'completed', progress: 100 }),
    ])
      rows = applyEventToRows(rows, event, {}, everything).rows;
    expect(rows).toEqual([expect.objectContaining({ id: queued.id, status: 'completed', progress: 100 })]);
  });
});

describe('a view’s rows, newest first', () => {
  it('puts a new job first, and an older job it learns about late where its creation time says', () => {
    const [oldest, middle, newest] = [buildJob(), buildJob(), buildJob()];
    let rows: readonly Job[] = [middle!];
    rows = applyEventToRows(rows, stateEvent(2, 'job.queued', newest!), {}, everything).rows;
    rows = applyEventToRows(rows, stateEvent(3, 'job.failed', { ...oldest!, status: 'failed' }), {}, everything).rows;
    expect(ids(rows)).toEqual([newest!.id, middle!.id, oldest!.id]);
  });

  it('breaks creation-time ties by id, newest id first', () => {
    const createdAt = '2026-01-01T00:00:00.000Z';
    const [a, b] = [buildJob({ createdAt }), buildJob({ createdAt })];
    expect(compareNewestFirst(a!, b!)).toBeGreaterThan(0);
    expect(ids(rememberJob([a!], b!, {}, everything))).toEqual([b!.id, a!.id]);
  });

  it('adds a job learned outside the stream, but never overrides what the stream said', () => {
    const job = buildJob();
    const rows = rememberJob([], job, {}, everything);
    expect(rows[0]).toBe(job);
    const active = applyEventToRows(rows, stateEvent(2, 'job.active', { ...job, status: 'active' }), {}, everything);
    expect(rememberJob(active.rows, job, {}, everything)).toBe(active.rows);
  });
});

describe('isWholeJob', () => {
  it('tells whole jobs from partial ones', () => {
    expect(isWholeJob(buildJob())).toBe(true);
    expect(isWholeJob({ id: 'x', status: 'active', progress: 3 })).toBe(false);
    expect(isWholeJob(undefined)).toBe(false);
  });
});
