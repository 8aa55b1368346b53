import type { Actor, StreamEvent } from '@flightdeck/contract';
import { buildJob, stateEvent } from '../../test/support/job-factory';
import {
  filterFromSearch,
  itemOfEvent,
  matchesFilter,
  mergeItems,
  phraseOf,
  relativeTime,
  searchFromFilter,
  sentenceOf,
  type ActivityItem,
} from './activity-list';

const ada: Actor = { type: 'user', id: 'u_ada', name: 'Ada Lovelace' };
const job = buildJob({ id: '01JOB000000000000000AAAABBBB', status: 'failed' });

const item = (overrides: Partial<ActivityItem>): ActivityItem => ({
  id: '01ACT',
  jobId: job.id,
  jobType: 'demo.sleep',
  action: 'retried',
  actor: ada,
  at: '2026-01-01T10:00:00.000Z',
  details: {},
  ...overrides,
});

describe('itemOfEvent', () => {
  it("is a person's action under the id its event carries, as GET /v1/activity lists it", () => {
    const event: StreamEvent = {
      ...stateEvent(7, 'job.queued', { ...job, status: 'queued' }),
      actor: ada,
      activity: { id: '01ACTIVITY', action: 'retried' },
    };
    expect(itemOfEvent(event, null)).toEqual({
      id: '01ACTIVITY',
      jobId: job.id,
      jobType: 'demo.sleep',
      action: 'retried',
      actor: ada,
      at: event.at,
      details: {},
    });
  });

  it('quotes a comment, and takes the job type it is told when the event has no job', () => {
    const body = 'x'.repeat(200);
    const event: StreamEvent = {
      seq: 8,
      type: 'comment.created',
      jobId: job.id,
      actor: ada,
      comment: { id: 'c1', jobId: job.id, body, author: ada, createdAt: '' },
      activity: { id: '01COMMENT', action: 'commented' },
      at: '2026-01-01T10:00:00.000Z',
    };
    const commented = itemOfEvent(event, 'http.request')!;
    expect(commented).toMatchObject({ id: '01COMMENT', jobType: 'http.request', action: 'commented' });
    expect(commented.details).toEqual({ commentId: 'c1', excerpt: `${'x'.repeat(139)}…` });
    expect(itemOfEvent({ ...event, activity: undefined }, null)).toBeNull();
  });

  it("names a job's milestone after its event's seq, as the server's projector does", () => {
    const failed = stateEvent(9, 'job.failed', { ...job, attemptsMade: 2, error: { message: 'boom' } });
    expect(itemOfEvent(failed, null)).toMatchObject({
      id: `${job.id}:9`,
      action: 'failed',
      actor: null,
      details: { attempt: 2, error: 'boom' },
    });
    expect(itemOfEvent(stateEvent(10, 'job.active', { ...job, attemptsMade: 0 }), null)?.details).toEqual({
      attempt: 1,
    });
    expect(itemOfEvent(stateEvent(11, 'job.progress', job), null)).toBeNull();
    expect(itemOfEvent(stateEvent(12, 'job.queued', job), null)).toBeNull();
  });
});

describe('filters and merging', () => {
  it('shows people only what people did, and one action when asked', () => {
    const milestone = item({ id: 'j:1', action: 'started', actor: null });
    expect(matchesFilter(milestone, { actor: 'people' })).toBe(false);
    expect(matchesFilter(milestone, { actor: 'all' })).toBe(true);
    expect(matchesFilter(item({}), { actor: 'people', action: 'retried' })).toBe(true);
    expect(matchesFilter(item({}), { actor: 'all', action: 'claimed' })).toBe(false);
  });

  it('keeps each id once, newest first; a page replaces what was seen live', () => {
    const live = item({ id: 'b', at: '2026-01-01T10:00:01.000Z' });
    const older = item({ id: 'a', at: '2026-01-01T10:00:00.000Z' });
    const fromPage = { ...live, at: '2026-01-01T10:00:01.020Z', details: { bulk: true } };
    expect(mergeItems([older], [live, live]).map((entry) => entry.id)).toEqual(['b', 'a']);
    expect(mergeItems([live, older], [fromPage], { replace: true })[0]).toBe(fromPage);
    expect(mergeItems([live, older], [fromPage])[0]).toBe(live);
  });

  it('reads and writes the filter in the address', () => {
    expect(filterFromSearch('')).toEqual({ actor: 'people' });
    expect(filterFromSearch('?actor=all&action=failed')).toEqual({ actor: 'all', action: 'failed' });
    // A milestone is no person's action; an unknown action is no action.
    expect(filterFromSearch('?action=failed')).toEqual({ actor: 'people' });
    expect(filterFromSearch('?actor=bots&action=nope')).toEqual({ actor: 'people' });
    expect(searchFromFilter({ actor: 'people' })).toBe('');
    expect(searchFromFilter({ actor: 'all', action: 'retried' })).toBe('?actor=all&action=retried');
  });
});

describe('how an entry reads', () => {
  it('names who did what to which job', () => {
    expect(sentenceOf(item({}))).toBe('Ada Lovelace retried job demo.sleep AAAABBBB');
    expect(sentenceOf(item({ action: 'cancelled', details: { bulk: true } }))).toBe(
      'Ada Lovelace cancelled job demo.sleep AAAABBBB (bulk action)',
    );
    expect(sentenceOf(item({ action: 'cancelled', details: { drainedQueue: 'demo' } }))).toBe(
      'Ada Lovelace cancelled job demo.sleep AAAABBBB (drained queue demo)',
    );
    expect(sentenceOf(item({ action: 'commented', details: { excerpt: 'on it' } }))).toBe(
      'Ada Lovelace commented on job demo.sleep AAAABBBB: “on it”',
    );
    expect(sentenceOf(item({ action: 'released', details: { holder: { name: 'Bob' } } }))).toBe(
      'Ada Lovelace released Bob’s claim on job demo.sleep AAAABBBB',
    );
    const key = item({ action: 'claimed', actor: { type: 'apiKey', id: 'k1', name: 'ci' }, jobType: null });
    expect(sentenceOf(key)).toBe('API key “ci” claimed job AAAABBBB');
    expect(phraseOf(key)).toEqual({ actor: 'API key “ci”', before: 'claimed job', job: 'AAAABBBB', after: '' });
  });

  it('says what a job did on its own, with the job as the subject', () => {
    const failed = item({ action: 'failed', actor: null, details: { attempt: 2, error: 'boom' } });
    expect(sentenceOf(failed)).toBe('Job demo.sleep AAAABBBB failed (attempt 2): boom');
    expect(sentenceOf(item({ action: 'retrying', actor: null, details: { attempt: 1, error: 'boom' } }))).toBe(
      'Job demo.sleep AAAABBBB failed (attempt 1), will retry: boom',
    );
    expect(sentenceOf(item({ action: 'started', actor: null, details: { attempt: 1 } }))).toBe(
      'Job demo.sleep AAAABBBB started (attempt 1)',
    );
  });

  it('says how long ago in words', () => {
    const now = Date.parse('2026-01-01T10:05:00.000Z');
    expect(relativeTime('2026-01-01T10:04:55.000Z', now)).toBe('just now');
    expect(relativeTime('2026-01-01T10:03:00.000Z', now)).toBe('2 minutes ago');
    expect(relativeTime('2025-12-30T10:05:00.000Z', now)).toBe('2 days ago');
    expect(relativeTime('nope', now)).toBe('');
  });
});
