import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import type { FakeServer } from '../../../test/support/fake-server';
import { fixturePages } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// The filters bar at /w/acme, given the address's query as the console gives it
// (`window.setUp(options)`); `window.changes` records fd-filters-change, `window.toasts` fd-toast.
const FIXTURE_SCRIPT = `
  import './components/fd-jobs-filters/fd-jobs-filters.component';
  import { ApiClient } from './api/api-client';
  import { fakeServer } from '../test/support/fake-server';

  const page = window as unknown as Record<string, unknown>;
  const server = fakeServer();
  page.server = server;
  page.changes = [];
  page.toasts = [];
  document.addEventListener('fd-filters-change', (event) => (page.changes as unknown[]).push(event.detail.filters));
  document.addEventListener('fd-toast', (event) => (page.toasts as unknown[]).push(event.detail.message));
  page.setUp = (options: Record<string, unknown>) => {
    const bar = document.createElement('fd-jobs-filters');
    bar.search = window.location.search;
    bar.me = 'u_ada';
    bar.actorId = 'u_ada';
    bar.members = [{ id: 'u_ada', name: 'Ada Lovelace' }, { id: 'u_bob', name: 'Bob Builder' }];
    bar.types = ['demo.sleep', 'http.request'];
    bar.debounceMs = 250;
    bar.api = new ApiClient({ workspace: 'acme', fetch: server.fetch });
    Object.assign(bar, options);
    document.body.append(bar);
  };
  // What the console does after Back: it gives the bar the address's query again.
  page.back = async () => {
    const done = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    history.back();
    await done;
    const bar = document.querySelector('fd-jobs-filters')!;
    bar.search = window.location.search;
    await bar.updateComplete;
  };
`;

const pages = fixturePages(FIXTURE_SCRIPT);

type Window = {
  server: FakeServer;
  setUp: (options: Record<string, unknown>) => void;
  back: () => Promise<void>;
  changes: unknown[];
  toasts: string[];
};

async function open(path: string, options: Record<string, unknown> = {}, answers: FakeServer['answers'] = {}) {
  fixture = await pages.open({ path });
  await fixture.page.evaluate(
    ({ options, answers }) => {
      const page = window as unknown as Window;
      page.server.answers = answers;
      page.setUp(options);
    },
    { options, answers },
  );
  return fixture.page;
}

const search = (page: Page) => page.evaluate(() => window.location.search);
const changes = (page: Page) => page.evaluate(() => (window as unknown as Window).changes);
const historyLength = (page: Page) => page.evaluate(() => window.history.length);
const requests = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as Window).server.requests.map(({ method, path, body }) => ({ method, path, body })),
  );

const VIEW = (
  id: string,
  name: string,
  filters: Record<string, unknown>,
  by = { type: 'user', id: 'u_bob', name: 'Bob Builder' },
) => ({
  id,
  name,
  filters,
  createdBy: by,
  createdAt: '2026-03-01T10:00:00.000Z',
});

describe('fd-jobs-filters', () => {
  it('shows the filters the address names, and writes each change to the address', async () => {
    const page = await open('/w/acme?status=failed&q=boom&claimedBy=nobody&range=24h');
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('failed');
    await expect(page.getByLabel('Search').inputValue()).resolves.toBe('boom');
    await expect(page.getByLabel('Claimed by').inputValue()).resolves.toBe('nobody');
    await expect(page.getByLabel('Created').inputValue()).resolves.toBe('24h');

    const before = await historyLength(page);
    await page.getByLabel('Status').selectOption('queued');
    await expect(search(page)).resolves.toBe('?status=queued&claimedBy=nobody&range=24h&q=boom');
    await page.getByLabel('Claimed by').selectOption({ label: 'Bob Builder' });
    await page.getByLabel('Type').fill('http.request');
    await page.getByLabel('Type').press('Enter');
    await expect(search(page)).resolves.toBe('?status=queued&type=http.request&claimedBy=u_bob&range=24h&q=boom');
    await expect(historyLength(page)).resolves.toBe(before + 3);
    await expect(changes(page)).resolves.toEqual([
      { status: 'queued', claimedBy: 'nobody', range: '24h', q: 'boom' },
      { status: 'queued', claimedBy: 'u_bob', range: '24h', q: 'boom' },
      { status: 'queued', type: 'http.request', claimedBy: 'u_bob', range: '24h', q: 'boom' },
    ]);

    // Back: the console gives the bar the previous address, and the bar follows it.
    await page.evaluate(() => (window as unknown as Window).back());
    await expect(page.getByLabel('Type').inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Claimed by').inputValue()).resolves.toBe('u_bob');
    expect(fixture.problems).toEqual([]);
  });

  it('searches after a pause in typing, with one history entry per search', async () => {
    const page = await open('/w/acme');
    const before = await historyLength(page);
    const box = page.getByLabel('Search');
    await box.pressSequentially('timeout', { delay: 40 });
    await expect(changes(page)).resolves.toEqual([]);
    await page.waitForFunction(() => (window as unknown as Window).changes.length === 1);
    await expect(changes(page)).resolves.toEqual([{ q: 'timeout' }]);
    await expect(search(page)).resolves.toBe('?q=timeout');

    await box.pressSequentially(' upstream', { delay: 40 });
    await page.waitForFunction(() => (window as unknown as Window).changes.length === 2);
    await expect(search(page)).resolves.toBe('?q=timeout+upstream');
    await expect(historyLength(page)).resolves.toBe(before + 1);

    // Enter searches at once; clearing the box shows everything again.
    await box.fill('');
    await box.press('Enter');
    await expect(search(page)).resolves.toBe('');
    await expect(changes(page)).resolves.toEqual([{ q: 'timeout' }, { q: 'timeout upstream' }, {}]);
  });

  it('takes a custom time range, and clears every filter', async () => {
    const page = await open('/w/acme?type=demo.sleep');
    await page.getByLabel('Created').selectOption('custom');
    await page.getByLabel('From').fill('2026-03-01T09:30');
    await page.getByLabel('From').press('Tab');
    const from = new Date('2026-03-01T09:30').toISOString();
    await expect(search(page)).resolves.toBe(`?type=demo.sleep&from=${encodeURIComponent(from)}`);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(search(page)).resolves.toBe('');
    await expect(page.getByLabel('Type').inputValue()).resolves.toBe('');
  });

  it('applies a saved view, saves the filters as a new one, and deletes only what the person may', async () => {
    const views = [
      VIEW('v1', 'Failed http', { status: 'failed', type: 'http.request' }),
      VIEW('v2', 'Mine', { claimedBy: 'u_ada' }, { type: 'user', id: 'u_ada', name: 'Ada Lovelace' }),
    ];
    const page = await open(
      '/w/acme?claimedBy=me&range=1h',
      { canSave: true },
      {
        'GET /v1/views': { status: 200, body: { items: views } },
        'POST /v1/views': {
          status: 201,
          body: VIEW('v3', 'My last hour', { claimedBy: 'u_ada' }, { type: 'user', id: 'u_ada', name: 'Ada Lovelace' }),
        },
      },
    );
    await page.getByRole('button', { name: 'Saved views' }).click();
    const list = page.getByRole('list', { name: 'Saved views' });
    await list.getByRole('button', { name: /^Failed http/ }).waitFor();
    // Bob's view is his to delete; Ada's is hers.
    await expect(list.getByRole('button', { name: 'Delete view Failed http' }).count()).resolves.toBe(0);
    await list.getByRole('button', { name: 'Delete view Mine' }).waitFor();

    // Relative ranges are saved as such, so the view keeps moving with the clock.
    await page.getByText('“Last hour” keeps moving with the clock in the saved view.').waitFor();
    await page.getByLabel('Save current filters as').fill('My last hour');
    await page.getByRole('button', { name: 'Save view' }).click();
    await list.getByRole('button', { name: /^My last hour/ }).waitFor();
    await expect(requests(page)).resolves.toContainEqual({
      method: 'POST',
      path: '/v1/views',
      body: { name: 'My last hour', filters: { claimedBy: 'u_ada', range: '1h' } },
    });
    await expect(page.evaluate(() => (window as unknown as Window).toasts)).resolves.toEqual([
      'Saved view “My last hour” for everyone in the workspace.',
    ]);

    await list.getByRole('button', { name: /^Failed http/ }).click();
    await expect(search(page)).resolves.toBe('?status=failed&type=http.request');
    await page.getByRole('button', { name: 'View: Failed http' }).waitFor();
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('failed');
  });

  it('offers no "me" to an API key, and lets admins delete any view', async () => {
    const page = await open(
      '/w/acme',
      { me: null, actorId: 'key_1', canSave: true, canDeleteAny: true },
      {
        'GET /v1/views': { status: 200, body: { items: [VIEW('v1', 'Failed http', { status: 'failed' })] } },
        'DELETE /v1/views/v1': { status: 204 },
      },
    );
    const options = await page.getByLabel('Claimed by').locator('option').allTextContents();
    expect(options.map((text) => text.trim())).toEqual(['Any', 'Nobody', 'Ada Lovelace', 'Bob Builder']);
    await page.getByRole('button', { name: 'Saved views' }).click();
    await page.getByRole('button', { name: 'Delete view Failed http' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete view' }).click();
    await page.getByText('No saved views yet.').waitFor();
    await expect(requests(page)).resolves.toContainEqual({ method: 'DELETE', path: '/v1/views/v1', body: undefined });
  });
});
