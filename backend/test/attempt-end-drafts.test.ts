import {
  attemptEndDraft,
  type AttemptEndNotice,
  type BullJobView,
  type SnapshotView,
} from '../src/reconciler/attempt-end-drafts';

// The reconciler's rules, without Redis: which attempt ends it appends, and as what.

const AT = Date.parse('2026-01-02T03:04:05.000Z');
const notice = (kind: AttemptEndNotice['kind'], extra: Partial<AttemptEndNotice> = {}): AttemptEndNotice => ({
  queue: 'demo',
  jobId: 'job-1',
  kind,
  at: AT,
  ...extra,
});
const running: SnapshotView = { workspaceId: 'ws-1', status: 'active', attemptsMade: 0 };
const bull = (extra: Partial<BullJobView> = {}): BullJobView => ({
  workspaceId: 'ws-1',
  attemptsMade: 1,
  running: false,
  failedReason: null,
  stack: null,
  finishedOn: null,
  returnValue: null,
  ...extra,
});
const gone: BullJobView = { ...bull(), workspaceId: null, attemptsMade: null };

describe('attemptEndDraft', () => {
  it('completes a job BullMQ removed already from the notice alone, as the attempt after the running one', () => {
    expect(attemptEndDraft(notice('completed', { returnValue: '{"slept":5}' }), running, gone)).toEqual({
      workspaceId: 'ws-1',
      draft: {
        type: 'job.completed',
        jobId: 'job-1',
        attempt: 1,
        job: {
          id: 'job-1',
          status: 'completed',
          progress: 100,
          result: { slept: 5 },
          error: null,
          finishedAt: '2026-01-02T03:04:05.000Z',
          attemptsMade: 1,
        },
      },
    });
  });

  it("takes BullMQ's count, failure and stack when it still has the job", () => {
    const reconciled = attemptEndDraft(
      notice('failed', { failedReason: 'boom' }),
      { ...running, attemptsMade: 2 },
      bull({ attemptsMade: 3, stack: 'Error: boom\n    at here', finishedOn: AT + 7 }),
    );
    expect(reconciled?.draft).toMatchObject({
      type: 'job.failed',
      attempt: 3,
      job: { status: 'failed', error: { message: 'boom', stack: 'Error: boom\n    at here' }, attemptsMade: 3 },
    });
    expect(reconciled?.draft.job.finishedAt).toBe(new Date(AT + 7).toISOString());
  });

  it('leaves alone a job whose snapshot is not running (told already, or by someone else)', () => {
    for (const status of ['completed', 'failed', 'cancelled', 'queued', 'delayed', null] as const) {
      expect(attemptEndDraft(notice('completed'), { ...running, status }, bull())).toBeNull();
    }
  });

  it('leaves alone an end the snapshot already counts, or a job of no known workspace', () => {
    expect(attemptEndDraft(notice('completed'), { ...running, attemptsMade: 1 }, bull())).toBeNull();
    expect(attemptEndDraft(notice('completed'), { ...running, workspaceId: null }, gone)).toBeNull();
  });

  it('treats a retry as one only while the job waits for its next attempt and the attempt was counted', () => {
    const delayed = notice('delayed', { delayUntil: AT + 60_000 });
    expect(attemptEndDraft(delayed, running, bull({ failedReason: 'later' }))?.draft).toMatchObject({
      type: 'job.retrying',
      attempt: 1,
      job: { status: 'delayed', error: { message: 'later' }, runAt: new Date(AT + 60_000).toISOString() },
    });
    expect(attemptEndDraft(notice('waiting'), running, bull())?.draft.job.status).toBe('queued');
    // A stalled or handed-back run: BullMQ counted no attempt.
    expect(attemptEndDraft(notice('waiting'), running, bull({ attemptsMade: 0 }))).toBeNull();
    // The next attempt runs, or has ended: its own events tell the story.
    expect(attemptEndDraft(notice('waiting'), running, bull({ running: true }))).toBeNull();
    expect(attemptEndDraft(notice('delayed'), running, bull({ finishedOn: AT + 9 }))).toBeNull();
    // Gone from BullMQ: no count to tell a retry from a stall.
    expect(attemptEndDraft(notice('waiting'), running, gone)).toBeNull();
  });

  it("turns a run failed with the cancel's reason into a cancellation", () => {
    expect(attemptEndDraft(notice('failed', { failedReason: 'cancelled' }), running, bull())?.draft).toMatchObject({
      type: 'job.cancelled',
      job: { status: 'cancelled', error: null, attemptsMade: 1 },
    });
  });
});
