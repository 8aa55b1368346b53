import type { ActivityFeed as ActivityPage, Actor, ListActivityQuery, StreamEvent } from '@flightdeck/contract';
import type { ConnectionState } from '../realtime/realtime-client';
import { fakeStream } from '../../test/support/fake-stream';
import { buildJob } from '../../test/support/job-factory';
import { ActivityFeed, type ActivityFeedOptions, type ActivityFeedState } from './activity-feed';
import type { ActivityItem } from './activity-list';

const ada: Actor = { type: 'user', id: 'u_ada', name: 'Ada' };

/** A scripted `listActivity`: each call waits until the test answers it. */
function fakeApi() {
  const calls: { query: Partial<ListActivityQuery>; answer: (page: ActivityPage) => void; fail: (e: Error) => void }[] =
    [];
  const jobTypes = new Map<string, string>();
  return {
    calls,
    jobTypes,
    listActivity(query: Partial<ListActivityQuery> = {}) {
      return new Promise<ActivityPage>((answer, fail) => calls.push({ query, answer, fail }));
    },
    async getJob(id: string) {
      const type = jobTypes.get(id);
      if (!type) throw new Error('not found');
      return buildJob({ id, type });
    },
  };
}

/** A feed over a scripted API and a stream (live unless told), showing people’s activity. */
function setup({
  connection = 'live',
  ...options
}: Partial<ActivityFeedOptions> & { connection?: ConnectionState } = {}) {
  const api = fakeApi();
  const stream = fakeStream({ connection });
  const feed = new ActivityFeed(api, { onState: () => undefined, ...options });
  feed.connect(stream);
  feed.setFilter({ actor: 'people' });
  return { api, stream, feed };
}

const entry = (id: string, at: string, overrides: Partial<ActivityItem> = {}): ActivityItem => ({
  id,
  jobId: 'job-1',
  jobType: 'demo.sleep',
  action: 'retried',
  actor: ada,
  at,
  details: {},
  ...overrides,
});

const retried = (seq: number, activityId: string, at: string, jobId = 'job-1'): StreamEvent => ({
  seq,
  type: 'job.queued',
  jobId,
  actor: ada,
  activity: { id: activityId, action: 'retried' },
  at,
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const ids = (state: ActivityFeedState) => state.items.map((item) => item.id);

describe('ActivityFeed', () => {
  it('shows the first page, adds what happens live, and does not show an entry twice when a page lists it', async () => {
    const { api, stream, feed } = setup();
    expect(feed.state.phase).toBe('loading');
    expect(api.calls[0]!.query).toEqual({ limit: 50 });
    api.calls[0]!.answer({
      items: [entry('a2', '2026-01-01T10:00:02Z'), entry('a1', '2026-01-01T10:00:01Z')],
      nextCursor: 'c1',
    });
    await settle();
    expect(ids(feed.state)).toEqual(['a2', 'a1']);

    stream.emit(retried(5, 'a3', '2026-01-01T10:00:03Z'));
    expect(ids(feed.state)).toEqual(['a3', 'a2', 'a1']);
    expect(feed.state.latestLive?.id).toBe('a3');
    // The same event again (a replay) changes nothing; an event that is nobody's action adds nothing to "people".
    stream.emit(retried(5, 'a3', '2026-01-01T10:00:03Z'));
    stream.emit({
      seq: 6,
      type: 'job.completed',
      jobId: 'job-1',
      job: buildJob({ id: 'job-1', status: 'completed' }),
      at: '2026-01-01T10:00:04Z',
    });
    expect(ids(feed.state)).toEqual(['a3', 'a2', 'a1']);

    // A gap the stream could not replay: the page is read again (as many as were shown), and it lists a3 itself.
    stream.reloaded();
    expect(api.calls[1]!.query).toEqual({ limit: 50 });
    api.calls[1]!.answer({
      items: [
        entry('a3', '2026-01-01T10:00:03.010Z', { details: { bulk: true } }),
        entry('a2', '2026-01-01T10:00:02Z'),
      ],
      nextCursor: 'c2',
    });
    await settle();
    expect(ids(feed.state)).toEqual(['a3', 'a2']);
    expect(feed.state.items[0]!.details).toEqual({ bulk: true });

    void feed.loadMore();
    expect(api.calls[2]!.query).toEqual({ limit: 50, cursor: 'c2' });
    api.calls[2]!.answer({ items: [entry('a1', '2026-01-01T10:00:01Z')], nextCursor: null });
    await settle();
    expect(ids(feed.state)).toEqual(['a3', 'a2', 'a1']);
    expect(feed.state.nextCursor).toBeNull();
  });

  it('adds what arrived while the first page loaded once it is in, each entry once', async () => {
    const { api, stream, feed } = setup();
    stream.emit(retried(7, 'b2', '2026-01-01T10:00:02Z'));
    stream.emit(retried(8, 'b3', '2026-01-01T10:00:03Z'));
    api.calls[0]!.answer({
      items: [entry('b2', '2026-01-01T10:00:02.005Z'), entry('b1', '2026-01-01T10:00:01Z')],
      nextCursor: null,
    });
    await settle();
    expect(ids(feed.state)).toEqual(['b3', 'b2', 'b1']);
  });

  it('reads the page again with a new filter, shows milestones only to "everything", and names their jobs', async () => {
    const { api, stream, feed } = setup();
    api.calls[0]!.answer({ items: [], nextCursor: null });
    await settle();
    feed.setFilter({ actor: 'people' });
    expect(api.calls).toHaveLength(1);

    feed.setFilter({ actor: 'all' });
    expect(api.calls[1]!.query).toEqual({ actor: 'all', limit: 50 });
    api.calls[1]!.answer({ items: [], nextCursor: null });
    await settle();
    const job = buildJob({ id: 'job-9', type: 'http.request', status: 'active' });
    stream.emit({ seq: 20, type: 'job.active', jobId: job.id, job, at: '2026-01-01T10:00:05Z' });
    expect(feed.state.items).toEqual([
      expect.objectContaining({ id: 'job-9:20', action: 'started', actor: null, jobType: 'http.request' }),
    ]);

    // A claim carries no job: its type comes from what the stream said of the job before, or from the job itself.
    const earlier = buildJob({ id: 'job-7', type: 'demo.cpu', status: 'active' });
    stream.emit({
      seq: 20,
      type: 'job.progress',
      jobId: earlier.id,
      job: { ...earlier, progress: 10 },
      at: '2026-01-01T10:00:05Z',
    });
    stream.emit({
      seq: 21,
      type: 'job.claimed',
      jobId: 'job-7',
      actor: ada,
      activity: { id: 'c1', action: 'claimed' },
      at: '2026-01-01T10:00:06Z',
    });
    api.jobTypes.set('job-8', 'image.transform');
    stream.emit({
      seq: 22,
      type: 'job.claimed',
      jobId: 'job-8',
      actor: ada,
      activity: { id: 'c2', action: 'claimed' },
      at: '2026-01-01T10:00:07Z',
    });
    expect(feed.state.items.map((item) => item.jobType)).toEqual([null, 'demo.cpu', 'http.request']);
    await settle();
    expect(feed.state.items.map((item) => item.jobType)).toEqual(['image.transform', 'demo.cpu', 'http.request']);

    feed.setFilter({ actor: 'all', action: 'claimed' });
    expect(feed.state.items).toEqual([]);
    expect(api.calls[2]!.query).toEqual({ actor: 'all', action: 'claimed', limit: 50 });
  });

  it('reads a page loaded before the stream was live again once it is, and says why a load failed', async () => {
    const { api, stream, feed } = setup({ connection: 'connecting' });
    api.calls[0]!.fail(new Error('Could not reach Flightdeck.'));
    await settle();
    expect(feed.state).toMatchObject({ phase: 'error', error: 'Could not reach Flightdeck.' });
    feed.retry();
    api.calls[1]!.answer({ items: [entry('d1', '2026-01-01T10:00:01Z')], nextCursor: null });
    await settle();
    stream.set({ connection: 'live' });
    expect(api.calls).toHaveLength(3);
  });

  it('keeps at most maxItems, and then stops paging (it would leave a gap)', async () => {
    const { api, stream, feed } = setup({ maxItems: 2, pageSize: 2 });
    api.calls[0]!.answer({
      items: [entry('e2', '2026-01-01T10:00:02Z'), entry('e1', '2026-01-01T10:00:01Z')],
      nextCursor: 'c',
    });
    await settle();
    stream.emit(retried(30, 'e3', '2026-01-01T10:00:03Z'));
    expect(ids(feed.state)).toEqual(['e3', 'e2']);
    expect(feed.state.capped).toBe(true);
    await feed.loadMore();
    expect(api.calls).toHaveLength(1);
  });
});
