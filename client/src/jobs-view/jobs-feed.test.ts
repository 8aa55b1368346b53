import type { Job, JobFilters } from '@flightdeck/contract';
import type { JobList, ListJobsQuery } from '../api/api-client';
import type { ConnectionState } from '../realtime/realtime-client';
import { fakeStream } from '../../test/support/fake-stream';
import { buildJob, stateEvent } from '../../test/support/job-factory';
import { JobsFeed, type FeedEvent, type JobsFeedState } from './jobs-feed';
import { MAX_ROWS } from './jobs-list';

/** A REST API whose answers the test releases one at a time. */
function scriptedApi() {
  const calls: { query: ListJobsQuery; answer: (list: JobList) => void; fail: (error: Error) => void }[] = [];
  const jobs = new Map<string, Job>();
  return {
    calls,
    jobs,
    listJobs: (query: ListJobsQuery = {}) =>
      new Promise<JobList>((answer, fail) => calls.push({ query, answer, fail })),
    getJob: async (id: string) => {
      const job = jobs.get(id);
      if (!job) throw new Error('not found');
      return job;
    },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const ids = (state: JobsFeedState) => state.items.map((job) => job.id);

function setup(connection: ConnectionState = 'live') {
  const api = scriptedApi();
  const stream = fakeStream({ connection });
  const states: JobsFeedState[] = [];
  const events: FeedEvent[] = [];
  const feed = new JobsFeed(api, {
    pageSize: 2,
    onState: (state) => states.push(state),
    onEvent: (event) => events.push(event),
  });
  feed.connect(stream);
  const show = (query: JobFilters) => feed.setQuery(JSON.stringify(query), () => query);
  return { api, stream, feed, states, events, show };
}

describe('JobsFeed', () => {
  it('loads the first page with the filters, then the next with the cursor', async () => {
    const { api, feed, show } = setup();
    const [a, b, c] = [buildJob(), buildJob(), buildJob()];
    show({ status: 'queued' });
    expect(feed.state.phase).toBe('loading');
    expect(api.calls[0]!.query).toEqual({ status: 'queued', limit: 2 });
    api.calls[0]!.answer({ items: [c, b], nextCursor: 'cur1' });
    await flush();
    expect(feed.state).toMatchObject({ phase: 'ready', nextCursor: 'cur1' });
    void feed.loadMore();
    expect(feed.state.loadingMore).toBe(true);
    expect(api.calls[1]!.query).toEqual({ status: 'queued', limit: 2, cursor: 'cur1' });
    api.calls[1]!.answer({ items: [a], nextCursor: null });
    await flush();
    expect(ids(feed.state)).toEqual([c.id, b.id, a.id]);
    expect(feed.state).toMatchObject({ nextCursor: null, loadingMore: false });
  });

  it('applies events that come during a load over the page, so an older page cannot undo them', async () => {
    const { api, stream, feed, show } = setup();
    const job = buildJob({ status: 'queued' });
    show({});
    stream.emit(stateEvent(7, 'job.active', { ...job, status: 'active' }));
    api.calls[0]!.answer({ items: [job], nextCursor: null });
    await flush();
    expect(feed.state.items[0]!.status).toBe('active');
  });

  it('reports events with the job before and after, and drops jobs that stop matching', async () => {
    const { api, stream, feed, events, show } = setup();
    const job = buildJob({ status: 'failed' });
    show({ status: 'failed' });
    api.calls[0]!.answer({ items: [job], nextCursor: null });
    await flush();
    const retry = {
      ...stateEvent(8, 'job.queued', { ...job, status: 'queued' }),
      actor: { type: 'user' as const, id: 'u', name: 'Bob' },
    };
    stream.emit(retry);
    expect(feed.state.items).toEqual([]);
    expect(events).toEqual([{ event: retry, before: job, after: undefined }]);
  });

  it('ignores the answer to filters no longer shown', async () => {
    const { api, feed, show } = setup();
    show({ status: 'failed' });
    show({ status: 'queued' });
    const queued = buildJob();
    api.calls[1]!.answer({ items: [queued], nextCursor: null });
    api.calls[0]!.answer({ items: [buildJob({ status: 'failed' })], nextCursor: null });
    await flush();
    expect(ids(feed.state)).toEqual([queued.id]);
  });

  it('says why a load failed, and loads again on retry', async () => {
    const { api, feed, show } = setup();
    show({});
    api.calls[0]!.fail(new Error('Could not reach Flightdeck.'));
    await flush();
    expect(feed.state).toMatchObject({ phase: 'error', error: 'Could not reach Flightdeck.' });
    feed.retry();
    expect(feed.state.phase).toBe('loading');
    expect(api.calls).toHaveLength(2);
  });

  it('reads a page loaded before the stream was live again once it is, and after a gap', async () => {
    const { api, stream, show } = setup('connecting');
    show({});
    api.calls[0]!.answer({ items: [buildJob()], nextCursor: null });
    await flush();
    stream.set({ connection: 'live' });
    expect(api.calls).toHaveLength(2);
    api.calls[1]!.answer({ items: [], nextCursor: null });
    await flush();
    stream.set({ connection: 'reconnecting' });
    stream.set({ connection: 'live' }); // resumed with a replay: nothing to read again
    expect(api.calls).toHaveLength(2);
    stream.reloaded();
    expect(api.calls).toHaveLength(3);
  });

  it('keeps at most MAX_ROWS as jobs arrive live, newest first, and then stops paging (it would leave a gap)', async () => {
    const { api, stream, feed, show } = setup();
    const shown = Array.from({ length: MAX_ROWS }, () => buildJob()).reverse();
    show({});
    api.calls[0]!.answer({ items: shown, nextCursor: 'cur1' });
    await flush();
    const newest = buildJob();
    stream.emit(stateEvent(4, 'job.queued', newest));
    expect(feed.state.items).toHaveLength(MAX_ROWS);
    expect(feed.state.items[0]!.id).toBe(newest.id);
    expect(feed.state.items.at(-1)!.id).toBe(shown.at(-2)!.id);
    expect(feed.state.capped).toBe(true);
    await feed.loadMore();
    expect(api.calls).toHaveLength(1);
  });

  it('fetches a job a claim brings into a "claimed by" view', async () => {
    const { api, stream, feed, show } = setup();
    show({ claimedBy: 'u_ada' });
    api.calls[0]!.answer({ items: [], nextCursor: null });
    await flush();
    const claim = { id: 'u_ada', name: 'Ada', at: '2026-03-01T10:00:00.000Z' };
    const job = buildJob({ claimedBy: claim });
    api.jobs.set(job.id, job);
    stream.emit({ seq: 3, type: 'job.claimed', jobId: job.id, claimedBy: claim, at: '' });
    await flush();
    expect(ids(feed.state)).toEqual([job.id]);
  });
});
