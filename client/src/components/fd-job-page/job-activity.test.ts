import type { ActivityEntry, Comment, StreamEvent } from '@flightdeck/contract';
import { buildJob } from '../../../test/support/job-factory';
import {
  activityOfEvent,
  attemptsOf,
  describeActivity,
  jobAfterEvent,
  mergeActivity,
  mergeComments,
  sameActivity,
  toastOfEvent,
} from './job-activity';

const ada = { type: 'user' as const, id: 'u_ada', name: 'Ada Lovelace' };
const bob = { type: 'user' as const, id: 'u_bob', name: 'Bob Builder' };
const AT = '2026-03-01T10:00:00.000Z';
const later = (seconds: number) => new Date(Date.parse(AT) + seconds * 1000).toISOString();

function event(overrides: Partial<StreamEvent> & Pick<StreamEvent, 'type'>): StreamEvent {
  return { seq: 1, at: AT, ...overrides };
}

describe('jobAfterEvent', () => {
  const job = buildJob({ status: 'failed', attemptsMade: 1 });

  it('takes claims and releases, which carry no job', () => {
    const claim = { id: bob.id, name: bob.name, at: AT };
    const claimed = jobAfterEvent(job, event({ type: 'job.claimed', jobId: job.id, actor: bob, claimedBy: claim }));
    expect(claimed.claimedBy).toEqual(claim);
    expect(jobAfterEvent(claimed, event({ type: 'job.claimed', jobId: job.id, claimedBy: claim }))).toBe(claimed);
    expect(
      jobAfterEvent(claimed, event({ type: 'job.released', jobId: job.id, claimedBy: null })).claimedBy,
    ).toBeNull();
  });

  it('takes state and progress changes, keeps the payload that state events leave out, and ignores other jobs', () => {
    const { payload: _payload, ...withoutPayload } = { ...job, status: 'active' as const, progress: 0 };
    const active = jobAfterEvent(job, event({ type: 'job.active', jobId: job.id, job: withoutPayload }));
    expect(active).toMatchObject({ status: 'active', payload: job.payload });
    const progressed = jobAfterEvent(
      active,
      event({ type: 'job.progress', jobId: job.id, job: { id: job.id, status: 'active', progress: 40 } }),
    );
    expect(progressed.progress).toBe(40);
    expect(jobAfterEvent(job, event({ type: 'job.active', jobId: 'other', job: { ...job, id: 'other' } }))).toBe(job);
  });
});

describe('activityOfEvent', () => {
  it('records attempt milestones as the server does (started counts the attempt it begins)', () => {
    const job = buildJob({ status: 'active', attemptsMade: 1 });
    expect(activityOfEvent(event({ type: 'job.active', jobId: job.id, job }), null)).toEqual({
      action: 'started',
      actor: null,
      at: AT,
      details: { attempt: 2 },
    });
    const failed = { ...job, status: 'failed' as const, attemptsMade: 2, error: { message: 'boom' } };
    expect(activityOfEvent(event({ type: 'job.failed', jobId: job.id, job: failed }), null)).toMatchObject({
      action: 'failed',
      details: { attempt: 2, error: 'boom' },
    });
  });

  it('names the person for their actions; a requeue is a retry, or a promotion of a delayed job', () => {
    const job = buildJob({ status: 'queued' });
    const queued = event({ type: 'job.queued', jobId: job.id, job, actor: bob });
    expect(activityOfEvent(queued, { status: 'failed' })).toMatchObject({ action: 'retried', actor: bob });
    expect(activityOfEvent(queued, { status: 'delayed' })).toMatchObject({ action: 'promoted', actor: bob });
    // Queued by its submitter: not an action on the job.
    expect(activityOfEvent({ ...queued, actor: undefined }, null)).toBeNull();
    const comment: Comment = { id: 'c1', jobId: job.id, body: 'hi', author: bob, createdAt: AT };
    expect(activityOfEvent(event({ type: 'comment.created', jobId: job.id, actor: bob, comment }), null)).toMatchObject(
      {
        action: 'commented',
        details: { commentId: 'c1' },
      },
    );
    expect(activityOfEvent(event({ type: 'job.progress', jobId: job.id, job }), null)).toBeNull();
  });
});

describe('mergeActivity', () => {
  const created: ActivityEntry = { action: 'created', actor: null, at: AT, details: { type: 'demo.sleep' } };
  const retriedLive: ActivityEntry = { action: 'retried', actor: bob, at: later(10), details: {} };
  // The record is written just after the event.
  const retriedStored: ActivityEntry = { action: 'retried', actor: bob, at: later(10.05), details: {} };
  const started: ActivityEntry = { action: 'started', actor: null, at: later(11), details: { attempt: 2 } };

  it('does not show what it saw live twice when the list is read again', () => {
    expect(sameActivity(retriedLive, retriedStored)).toBe(true);
    expect(sameActivity(retriedLive, { ...retriedStored, actor: ada })).toBe(false);
    expect(sameActivity(retriedLive, { ...retriedStored, at: later(60) })).toBe(false);
    expect(mergeActivity([created, retriedStored], [retriedLive, started])).toEqual([created, retriedStored, started]);
  });

  it('keeps time order, and tells comments apart by id', () => {
    const one: ActivityEntry = { action: 'commented', actor: bob, at: later(1), details: { commentId: 'c1' } };
    const two: ActivityEntry = { action: 'commented', actor: bob, at: later(2), details: { commentId: 'c2' } };
    expect(mergeActivity([created, two], [one])).toEqual([created, one, two]);
  });
});

describe('attemptsOf', () => {
  it('lists each attempt with how it ended, a person retrying starting the count again', () => {
    const entries: ActivityEntry[] = [
      { action: 'created', actor: null, at: AT, details: {} },
      { action: 'started', actor: null, at: later(1), details: { attempt: 1 } },
      { action: 'retrying', actor: null, at: later(2), details: { attempt: 1, error: 'timeout' } },
      { action: 'started', actor: null, at: later(3), details: { attempt: 2 } },
      { action: 'failed', actor: null, at: later(5), details: { attempt: 2, error: 'timeout' } },
      { action: 'retried', actor: bob, at: later(9), details: {} },
      { action: 'started', actor: null, at: later(10), details: { attempt: 1 } },
    ];
    expect(attemptsOf(entries)).toEqual([
      { number: 1, startedAt: later(1), endedAt: later(2), outcome: 'retrying', error: 'timeout' },
      { number: 2, startedAt: later(3), endedAt: later(5), outcome: 'failed', error: 'timeout' },
      { number: 1, startedAt: later(10), endedAt: null, outcome: 'running', error: null },
    ]);
  });
});

describe('describeActivity and toastOfEvent', () => {
  it('says who did what', () => {
    expect(describeActivity({ action: 'retried', actor: bob, at: AT, details: {} })).toBe('Retried by Bob Builder');
    expect(describeActivity({ action: 'cancelled', actor: ada, at: AT, details: { bulk: true } })).toBe(
      'Cancelled by Ada Lovelace (bulk action)',
    );
    expect(describeActivity({ action: 'cancelled', actor: ada, at: AT, details: { drainedQueue: 'demo' } })).toBe(
      'Cancelled by Ada Lovelace (drain of queue demo)',
    );
    expect(
      describeActivity({ action: 'released', actor: ada, at: AT, details: { holder: { id: bob.id, name: bob.name } } }),
    ).toBe("Bob Builder's claim released by Ada Lovelace");
    expect(describeActivity({ action: 'failed', actor: null, at: AT, details: { attempt: 2, error: 'boom' } })).toBe(
      'Attempt 2 failed: boom',
    );
    expect(
      describeActivity({ action: 'retried', actor: { type: 'apiKey', id: 'k1', name: 'ci' }, at: AT, details: {} }),
    ).toBe('Retried by API key “ci”');
  });

  it('toasts what someone else did to the job you look at, not what you did', () => {
    const job = buildJob({ status: 'queued' });
    const retried = event({ type: 'job.queued', jobId: job.id, job, actor: bob });
    expect(toastOfEvent(retried, job.id, ada.id, { status: 'failed' })).toBe('Bob Builder retried this job');
    expect(toastOfEvent(retried, job.id, bob.id, { status: 'failed' })).toBeNull();
    expect(toastOfEvent(retried, 'another job', ada.id, { status: 'failed' })).toBeNull();
    const claim = event({
      type: 'job.claimed',
      jobId: job.id,
      actor: bob,
      claimedBy: { id: bob.id, name: bob.name, at: AT },
    });
    expect(toastOfEvent(claim, job.id, ada.id, null)).toBe('Bob Builder claimed this job');
    expect(toastOfEvent(event({ type: 'job.active', jobId: job.id, job }), job.id, ada.id, null)).toBeNull();
  });
});

describe('mergeComments', () => {
  it('adds comments by id, oldest first', () => {
    const comment = (id: string, seconds: number): Comment => ({
      id,
      jobId: 'j',
      body: id,
      author: bob,
      createdAt: later(seconds),
    });
    expect(mergeComments([comment('b', 2)], [comment('a', 1), comment('b', 2)]).map((c) => c.id)).toEqual(['a', 'b']);
  });
});
