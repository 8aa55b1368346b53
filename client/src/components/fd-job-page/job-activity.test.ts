import type { ActivityEntry, Comment, StreamEvent } from '@flightdeck/contract';
import { buildJob } from '../../../test/support/job-factory';
import {
  activityOfEvent,
  attemptsOf,
  describeActivity,
  jobAfterEvent,
  mergeActivity,
  mergeComments,
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
  it('records attempt milestones as the server does (started counts the attempt it begins), named <jobId>:<seq>', () => {
    const job = buildJob({ status: 'active', attemptsMade: 1 });
    expect(activityOfEvent(event({ type: 'job.active', seq: 7, jobId: job.id, job }))).toEqual({
      id: `${job.id}:7`,
      action: 'started',
      actor: null,
      at: AT,
      details: { attempt: 2 },
    });
    const failed = { ...job, status: 'failed' as const, attemptsMade: 2, error: { message: 'boom' } };
    expect(activityOfEvent(event({ type: 'job.failed', jobId: job.id, job: failed }))).toMatchObject({
      action: 'failed',
      details: { attempt: 2, error: 'boom' },
    });
  });

  it("names the person for their actions, with the entry's id and action as the event says them", () => {
    const job = buildJob({ status: 'queued' });
    const activity = { id: 'a_promote', action: 'promoted' as const };
    const queued = event({ type: 'job.queued', jobId: job.id, job, actor: bob, activity });
    expect(activityOfEvent(queued)).toEqual({ id: 'a_promote', action: 'promoted', actor: bob, at: AT, details: {} });
    // Queued by its submitter: not an action on the job.
    expect(activityOfEvent({ ...queued, actor: undefined, activity: undefined })).toBeNull();
    const comment: Comment = { id: 'c1', jobId: job.id, body: 'hi', author: bob, createdAt: AT };
    const commented = event({
      type: 'comment.created',
      jobId: job.id,
      actor: bob,
      comment,
      activity: { id: 'a_comment', action: 'commented' },
    });
    expect(activityOfEvent(commented)).toMatchObject({
      id: 'a_comment',
      action: 'commented',
      details: { commentId: 'c1' },
    });
    expect(activityOfEvent(event({ type: 'job.progress', jobId: job.id, job }))).toBeNull();
  });
});

describe('mergeActivity', () => {
  const created: ActivityEntry = { id: 'j:created', action: 'created', actor: null, at: AT, details: { type: 'x' } };
  const retriedLive: ActivityEntry = { id: 'a_retry', action: 'retried', actor: bob, at: later(10), details: {} };
  // The record is written just after the event, under the id the event named.
  const retriedStored: ActivityEntry = { ...retriedLive, at: later(10.05) };
  const started: ActivityEntry = { id: 'j:12', action: 'started', actor: null, at: later(11), details: { attempt: 2 } };

  it('does not show what it saw live twice when the list is read again', () => {
    expect(mergeActivity([created, retriedStored], [retriedLive, started])).toEqual([created, retriedStored, started]);
  });

  it('keeps two actions alike in all but their id, in time order', () => {
    const again: ActivityEntry = { ...retriedLive, id: 'a_retry_2', at: later(10.5) };
    expect(mergeActivity([created, retriedStored, started], [again])).toEqual([created, retriedStored, again, started]);
  });
});

describe('attemptsOf', () => {
  it('lists each attempt with how it ended, a person retrying starting the count again', () => {
    const entries: ActivityEntry[] = [
      { id: 'e1', action: 'created', actor: null, at: AT, details: {} },
      { id: 'e2', action: 'started', actor: null, at: later(1), details: { attempt: 1 } },
      { id: 'e3', action: 'retrying', actor: null, at: later(2), details: { attempt: 1, error: 'timeout' } },
      { id: 'e4', action: 'started', actor: null, at: later(3), details: { attempt: 2 } },
      { id: 'e5', action: 'failed', actor: null, at: later(5), details: { attempt: 2, error: 'timeout' } },
      { id: 'e6', action: 'retried', actor: bob, at: later(9), details: {} },
      { id: 'e7', action: 'started', actor: null, at: later(10), details: { attempt: 1 } },
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
    expect(describeActivity({ id: 'e', action: 'retried', actor: bob, at: AT, details: {} })).toBe(
      'Retried by Bob Builder',
    );
    expect(describeActivity({ id: 'e', action: 'cancelled', actor: ada, at: AT, details: { bulk: true } })).toBe(
      'Cancelled by Ada Lovelace (bulk action)',
    );
    expect(
      describeActivity({ id: 'e', action: 'cancelled', actor: ada, at: AT, details: { drainedQueue: 'demo' } }),
    ).toBe('Cancelled by Ada Lovelace (drain of queue demo)');
    expect(
      describeActivity({
        id: 'e',
        action: 'released',
        actor: ada,
        at: AT,
        details: { holder: { id: bob.id, name: bob.name } },
      }),
    ).toBe("Bob Builder's claim released by Ada Lovelace");
    expect(
      describeActivity({ id: 'e', action: 'failed', actor: null, at: AT, details: { attempt: 2, error: 'boom' } }),
    ).toBe('Attempt 2 failed: boom');
    expect(
      describeActivity({
        id: 'e',
        action: 'retried',
        actor: { type: 'apiKey', id: 'k1', name: 'ci' },
        at: AT,
        details: {},
      }),
    ).toBe('Retried by API key “ci”');
  });

  it('toasts what someone else did to the job you look at, not what you did', () => {
    const job = buildJob({ status: 'queued' });
    const activity = { id: 'a_retry', action: 'retried' as const };
    const retried = event({ type: 'job.queued', jobId: job.id, job, actor: bob, activity });
    expect(toastOfEvent(retried, job.id, ada.id)).toBe('Bob Builder retried this job');
    expect(toastOfEvent(retried, job.id, bob.id)).toBeNull();
    expect(toastOfEvent(retried, 'another job', ada.id)).toBeNull();
    const claim = event({
      type: 'job.claimed',
      jobId: job.id,
      actor: bob,
      claimedBy: { id: bob.id, name: bob.name, at: AT },
      activity: { id: 'a_claim', action: 'claimed' },
    });
    expect(toastOfEvent(claim, job.id, ada.id)).toBe('Bob Builder claimed this job');
    expect(toastOfEvent(event({ type: 'job.active', jobId: job.id, job }), job.id, ada.id)).toBeNull();
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
