import type { ActivityFeedItem, StreamEvent } from '@flightdeck/contract';
import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import type { FakeServer } from '../../../test/support/fake-server';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// The activity feed of workspace "acme" over a scripted API and a stand-in for the realtime client
// (`window.emit(event)` delivers a stream event).
const FIXTURE_SCRIPT = `
  import './components/fd-activity-feed/fd-activity-feed.component';
  import { ApiClient } from './api/api-client';
  import { fakeServer } from '../test/support/fake-server';
  import { fakeStream } from '../test/support/fake-stream';

  const page = window as unknown as Record<string, unknown>;
  const server = fakeServer();
  page.server = server;
  const stream = fakeStream({ connection: 'live' });
  page.emit = stream.emit;
  page.setUp = (answers: Record<string, never>, compact: boolean) => {
    server.answers = answers;
    const feed = document.createElement('fd-activity-feed');
    feed.api = new ApiClient({ workspace: 'acme', fetch: server.fetch });
    feed.realtime = stream;
    feed.workspace = 'acme';
    feed.compact = compact;
    feed.limit = 3;
    feed.search = window.location.search;
    document.body.append(feed);
  };
`;

const pages = fixturePages(FIXTURE_SCRIPT);

type Window = {
  server: FakeServer;
  setUp: (answers: unknown, compact: boolean) => void;
  emit: (event: StreamEvent) => void;
};

async function open(path: string, answers: FakeServer['answers'], compact = false): Promise<Page> {
  fixture = await pages.open({ path });
  await fixture.page.evaluate(
    ([scripted, isCompact]) => (window as unknown as Window).setUp(scripted, isCompact as boolean),
    [answers, compact] as const,
  );
  return fixture.page;
}

const page_ = (items: ActivityFeedItem[], nextCursor: string | null = null) => ({
  status: 200,
  body: { items, nextCursor },
});
const emit = (page: Page, event: StreamEvent) => page.evaluate((e) => (window as unknown as Window).emit(e), event);
const requests = (page: Page) =>
  page.evaluate(() => (window as unknown as Window).server.requests.map((request) => request.path));
const entries = (page: Page) =>
  page
    .locator('fd-activity-feed li.entry')
    .evaluateAll((items) =>
      items.map((item) => item.querySelector('.entry__text')!.textContent!.replace(/\s+/g, ' ').trim()),
    );

const ada = { type: 'user' as const, id: 'u_ada', name: 'Ada Lovelace' };
const bob = { type: 'user' as const, id: 'u_bob', name: 'Bob Builder' };
const JOB = '01JOB000000000000000AAAABBBB';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const item = (id: string, overrides: Partial<ActivityFeedItem> = {}): ActivityFeedItem => ({
  id,
  jobId: JOB,
  jobType: 'demo.sleep',
  action: 'retried',
  actor: ada,
  at: minutesAgo(5),
  details: {},
  ...overrides,
});

describe('fd-activity-feed', () => {
  it('lists who did what to which job, adds what happens live once, and pages on', async () => {
    const page = await open('/w/acme/activity', {
      'GET /v1/activity?limit=50': page_(
        [
          item('a2', { action: 'claimed', actor: bob, at: minutesAgo(3) }),
          item('a1', { action: 'cancelled', details: { bulk: true } }),
        ],
        'cursor-1',
      ),
      'GET /v1/activity?limit=50&cursor=cursor-1': page_([
        item('a0', { action: 'commented', details: { excerpt: 'on it' }, at: minutesAgo(9) }),
      ]),
    });
    const list = page.getByRole('list', { name: 'Activity, newest first' });
    await list.waitFor();
    expect(await entries(page)).toEqual([
      'Bob Builder claimed job demo.sleep AAAABBBB',
      'Ada Lovelace cancelled job demo.sleep AAAABBBB (bulk action)',
    ]);
    const first = page.locator('fd-activity-feed li.entry').first();
    await expect(first.locator('.mark').textContent()).resolves.toBe('BB');
    await expect(first.getByRole('link').getAttribute('href')).resolves.toBe(`/w/acme/jobs/${JOB}`);
    await expect(first.locator('time').textContent()).resolves.toBe('3 minutes ago');
    await expect(first.locator('time').getAttribute('title')).resolves.toMatch(/\d{4}/);

    // Ada retries: the entry comes first, and is announced.
    await emit(page, {
      seq: 41,
      type: 'job.queued',
      jobId: JOB,
      job: { id: JOB, status: 'queued', type: 'demo.sleep' },
      actor: ada,
      activity: { id: 'a3', action: 'retried' },
      at: new Date().toISOString(),
    });
    await page.locator('li[data-activity-id="a3"]').waitFor();
    expect((await entries(page))[0]).toBe('Ada Lovelace retried job demo.sleep AAAABBBB');
    await expect(page.locator('li[data-activity-id="a3"] time').textContent()).resolves.toBe('just now');
    await expect(page.getByRole('status').textContent()).resolves.toBe('Ada Lovelace retried job demo.sleep AAAABBBB');

    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('That is all of it.').waitFor();
    expect(await entries(page)).toHaveLength(4);
    expect((await entries(page))[3]).toBe('Ada Lovelace commented on job demo.sleep AAAABBBB: “on it”');
    expect(fixture.problems).toEqual([]);
  });

  it('filters by people or everything and by action, from the keyboard, keeping the filter in the address', async () => {
    const failed = item('j:7', { action: 'failed', actor: null, details: { attempt: 1, error: 'boom' } });
    const page = await open('/w/acme/activity', {
      'GET /v1/activity?limit=50': page_([item('a1')]),
      'GET /v1/activity?actor=all&limit=50': page_([failed, item('a1')]),
      'GET /v1/activity?actor=all&action=failed&limit=50': page_([failed]),
    });
    await page.getByRole('list', { name: 'Activity, newest first' }).waitFor();
    const people = page.getByRole('radio', { name: 'People' });
    await expect(people.isChecked()).resolves.toBe(true);
    await people.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('radio', { name: 'Everything' }).isChecked()).resolves.toBe(true);
    await page.getByText('Job demo.sleep AAAABBBB failed (attempt 1): boom').waitFor();
    expect(new URL(page.url()).search).toBe('?actor=all');

    await page.getByRole('combobox', { name: 'Action' }).selectOption('failed');
    await page.waitForFunction(() => new URL(window.location.href).search === '?actor=all&action=failed');
    await page.locator('li[data-activity-id="a1"]').waitFor({ state: 'detached' });
    expect(await entries(page)).toEqual(['Job demo.sleep AAAABBBB failed (attempt 1): boom']);
    expect(await requests(page)).toEqual([
      '/v1/activity?limit=50',
      '/v1/activity?actor=all&limit=50',
      '/v1/activity?actor=all&action=failed&limit=50',
    ]);
  });

  it('says when there is nothing yet, and when the activity could not be loaded', async () => {
    const page = await open('/w/acme/activity', {
      'GET /v1/activity?limit=50': [
        { status: 503, body: { error: { code: 'service_unavailable', message: 'MongoDB is not reachable' } } },
        page_([]),
      ],
    });
    const alert = page.getByRole('alert');
    await alert.getByText('The activity could not be loaded').waitFor();
    await alert.getByText('MongoDB is not reachable.').waitFor();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('No activity yet').waitFor();
    await page.getByText(/show here the moment anyone makes them/).waitFor();
  });

  it("as the jobs page's panel: the newest few entries, live, and a link to the whole feed", async () => {
    const page = await open(
      '/w/acme',
      {
        // Newest first, a minute apart (times read in the same millisecond would tie).
        'GET /v1/activity?limit=3': page_([
          item('a3', { at: minutesAgo(5) }),
          item('a2', { action: 'claimed', at: minutesAgo(6) }),
          item('a1', { action: 'promoted', at: minutesAgo(7) }),
        ]),
      },
      true,
    );
    await page.getByRole('list', { name: 'Recent activity, newest first' }).waitFor();
    await expect(page.getByRole('link', { name: 'All activity' }).getAttribute('href')).resolves.toBe(
      '/w/acme/activity',
    );
    await emit(page, {
      seq: 50,
      type: 'comment.created',
      jobId: JOB,
      actor: bob,
      comment: { id: 'c1', jobId: JOB, body: 'looking', author: bob, createdAt: new Date().toISOString() },
      activity: { id: 'a4', action: 'commented' },
      at: new Date().toISOString(),
    });
    await page.locator('li[data-activity-id="a4"]').waitFor();
    expect(await entries(page)).toEqual([
      'Bob Builder commented on job demo.sleep AAAABBBB: “looking”',
      'Ada Lovelace retried job demo.sleep AAAABBBB',
      'Ada Lovelace claimed job demo.sleep AAAABBBB',
    ]);
    await expect(page.getByRole('radio').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Load more' }).count()).resolves.toBe(0);
  });
});
