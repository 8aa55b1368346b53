import type { Job, StreamEvent } from '@flightdeck/contract';
import { buildJob, progressEvent, stateEvent } from '../../test/support/job-factory';
import { appendPage, applyEventToRows, rememberJob } from './jobs-list';

const open = { complete: true };
const paged = { complete: false };
const ids = (rows: readonly Job[]) => rows.map((job) => job.id);

describe('applyEventToRows', () => {
  const [oldest, middle, newest] = [buildJob(), buildJob(), buildJob()];
  const rows = [newest, middle, oldest];

  it('updates a shown job in place, and changes nothing for an event that changes nothing', () => {
    const active = { ...middle, status: 'active' as const };
    const change = applyEventToRows(rows, stateEvent(1, 'job.active', active), {}, open);
    expect(ids(change.rows)).toEqual(ids(rows));
    expect(change.rows[1]).toEqual(active);
    expect(change.before).toBe(middle);
    expect(change.after).toEqual(active);
    expect(applyEventToRows(rows, stateEvent(2, 'job.queued', middle), {}, open).rows).toBe(rows);
  });

  it('removes a job that stops matching, adds one that starts, in creation order', () => {
    const query = { status: 'failed' as const };
    const failedRows = [
      { ...newest, status: 'failed' as const },
      { ...oldest, status: 'failed' as const },
    ];
    const retried = applyEventToRows(failedRows, stateEvent(1, 'job.queued', newest), query, open);
    expect(ids(retried.rows)).toEqual([oldest.id]);
    expect(retried.after).toBeUndefined();
    const joined = applyEventToRows(
      failedRows,
      stateEvent(2, 'job.failed', { ...middle, status: 'failed' }),
      query,
      open,
    );
    expect(ids(joined.rows)).toEqual([newest.id, middle.id, oldest.id]);
  });

  it('leaves a joining job older than every row to "load more" while pages remain', () => {
    const older = buildJob({ createdAt: '2020-01-01T00:00:00.000Z' });
    expect(applyEventToRows(rows, stateEvent(1, 'job.queued', older), {}, paged).rows).toBe(rows);
    expect(ids(applyEventToRows(rows, stateEvent(1, 'job.queued', older), {}, open).rows)).toEqual([
      ...ids(rows),
      older.id,
    ]);
  });

  it('merges progress into a shown job; ignores it for others and for finished jobs', () => {
    const active = [{ ...newest, status: 'active' as const }];
    expect(applyEventToRows(active, progressEvent(1, newest.id, 40), {}, open).rows[0]!.progress).toBe(40);
    expect(applyEventToRows(active, progressEvent(1, middle.id, 40), {}, open).rows).toBe(active);
    const done = [{ ...newest, status: 'completed' as const, progress: 100 }];
    expect(applyEventToRows(done, progressEvent(1, newest.id, 40), {}, open).rows).toBe(done);
    // Progress carrying the whole job, late, does not move a finished job back either.
    const running = { ...newest, status: 'active' as const, progress: 40 };
    const late: StreamEvent = { seq: 2, type: 'job.progress', jobId: newest.id, job: running, at: newest.createdAt };
    expect(applyEventToRows(done, late, {}, open).rows).toBe(done);
    // Nor does the job a comment carries (as it was when the comment was made).
    const comment = { id: 'c1', jobId: newest.id, body: 'hi', author: { type: 'user' as const, id: 'u', name: 'U' } };
    const note: StreamEvent = {
      seq: 3,
      type: 'comment.created',
      jobId: newest.id,
      job: running,
      comment: { ...comment, createdAt: newest.createdAt },
      at: newest.createdAt,
    };
    expect(applyEventToRows(done, note, {}, open).rows).toBe(done);
  });

  it('applies claims and releases, and asks for a job that a claim may bring into view', () => {
    const claim = { id: 'u_ada', name: 'Ada', at: '2026-03-01T10:00:00.000Z' };
    const claimed: StreamEvent = { seq: 1, type: 'job.claimed', jobId: newest.id, claimedBy: claim, at: '' };
    expect(applyEventToRows(rows, claimed, {}, open).rows[0]!.claimedBy).toEqual(claim);
    const mine = applyEventToRows([], claimed, { claimedBy: 'u_ada' }, open);
    expect(mine).toMatchObject({ rows: [], fetch: newest.id });
    expect(applyEventToRows([], claimed, { claimedBy: 'u_bob' }, open).fetch).toBeNull();
    const released: StreamEvent = { seq: 2, type: 'job.released', jobId: newest.id, claimedBy: null, at: '' };
    const afterClaim = applyEventToRows(rows, claimed, {}, open).rows;
    expect(applyEventToRows(afterClaim, released, {}, open).rows[0]!.claimedBy).toBeNull();
    const adasView = [afterClaim[0]!];
    expect(ids(applyEventToRows(adasView, released, { claimedBy: 'u_ada' }, open).rows)).toEqual([]);
  });

  it('asks for a job that a partial state change may bring into view', () => {
    const cancelled: StreamEvent = {
      seq: 1,
      type: 'job.cancelled',
      jobId: middle.id,
      job: { id: middle.id, status: 'cancelled' },
      at: '',
    };
    expect(applyEventToRows([], cancelled, { status: 'cancelled' }, open).fetch).toBe(middle.id);
    expect(applyEventToRows([], cancelled, { status: 'failed' }, open).fetch).toBeNull();
    const shown = applyEventToRows(rows, cancelled, {}, open);
    expect(shown.rows[1]).toMatchObject({ id: middle.id, status: 'cancelled', type: 'demo.sleep' });
  });
});

describe('pages', () => {
  it('appends a page, keeping the live version of jobs already shown', () => {
    const [a, b, c] = [buildJob(), buildJob(), buildJob()];
    const live = { ...b, status: 'completed' as const };
    const rows = appendPage([c, live], [b, a]);
    expect(ids(rows)).toEqual([c.id, b.id, a.id]);
    expect(rows[1]).toBe(live);
  });

  it('remembers a fetched job only where it belongs', () => {
    const [a, b] = [buildJob(), buildJob()];
    expect(ids(rememberJob([b], a, {}, open))).toEqual([b.id, a.id]);
    expect(rememberJob([b], a, { status: 'failed' }, open)).toEqual([b]);
  });
});
