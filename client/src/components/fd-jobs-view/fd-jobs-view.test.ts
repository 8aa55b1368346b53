import type { Job, StreamEvent } from '@flightdeck/contract';
import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import type { FakeServer } from '../../../test/support/fake-server';
import { fixturePages } from '../../../test/support/fixture-pages';
import { buildJob } from '../../../test/support/job-factory';

let fixture: Fixture;

// The jobs view at /w/acme over a scripted API and a stand-in for the realtime client
// (`window.emit(event)` delivers a stream event); `window.toasts` records what it asks to show.
const FIXTURE_SCRIPT = `
  import './components/fd-jobs-view/fd-jobs-view.component';
  import { ApiClient } from './api/api-client';
  import { fakeServer } from '../test/support/fake-server';
  import { fakeStream } from '../test/support/fake-stream';

  const page = window as unknown as Record<string, unknown>;
  const server = fakeServer();
  page.server = server;
  page.toasts = [];
  const stream = fakeStream({ connection: 'live' });
  page.emit = stream.emit;
  document.addEventListener('fd-toast', (event) => (page.toasts as string[]).push(event.detail.message));
  page.setUp = (answers: Record<string, never>) => {
    server.answers = answers;
    const view = document.createElement('fd-jobs-view');
    view.api = new ApiClient({ workspace: 'acme', fetch: server.fetch });
    view.realtime = stream;
    view.access = { kind: 'member', role: 'member' };
    view.workspace = 'acme';
    view.userId = 'u_ada';
    view.actorId = 'u_ada';
    view.search = window.location.search;
    document.body.append(view);
  };
`;

const pages = fixturePages(FIXTURE_SCRIPT);

type Window = {
  server: FakeServer;
  setUp: (answers: unknown) => void;
  emit: (event: StreamEvent) => void;
  toasts: string[];
};

async function open(path: string, answers: FakeServer['answers']): Promise<Page> {
  fixture = await pages.open({ path });
  await fixture.page.evaluate((scripted) => (window as unknown as Window).setUp(scripted), answers);
  return fixture.page;
}

const list = (items: Job[], nextCursor: string | null = null) => ({ status: 200, body: { items, nextCursor } });
const row = (page: Page, id: string) => page.locator(`fd-jobs-table tr[data-job-id="${id}"]`);
const emit = (page: Page, event: StreamEvent) => page.evaluate((e) => (window as unknown as Window).emit(e), event);
const bob = { type: 'user' as const, id: 'u_bob', name: 'Bob Builder' };

describe('fd-jobs-view', () => {
  it('loads the jobs the address filters for, page by page, and keeps them current', async () => {
    const [c, b, a] = [buildJob({ status: 'failed' }), buildJob({ status: 'failed' }), buildJob({ status: 'failed' })];
    const page = await open('/w/acme?status=failed', {
      'GET /v1/views': list([]),
      'GET /v1/members': { status: 200, body: { items: [] } },
      'GET /v1/jobs?status=failed&limit=50': list([a, b], 'cursor-1'),
      'GET /v1/jobs?status=failed&limit=50&cursor=cursor-1': list([c]),
    });
    await row(page, a.id).waitFor();
    await page.getByText('2 jobs shown, more to load').waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await row(page, c.id).waitFor();
    await page.getByText('All 3 matching jobs shown.').waitFor();

    // Bob retries one: it is no longer failed, so it leaves; a toast says who did it.
    await emit(page, {
      seq: 10,
      type: 'job.queued',
      jobId: b.id,
      job: { ...b, status: 'queued' },
      actor: bob,
      at: new Date().toISOString(),
    });
    await row(page, b.id).waitFor({ state: 'detached' });
    await page.waitForFunction(() => (window as unknown as Window).toasts.length === 1);
    await expect(page.evaluate(() => (window as unknown as Window).toasts)).resolves.toEqual([
      `Bob Builder retried demo.sleep ${b.id.slice(-8)}`,
    ]);

    // A job that starts matching joins, in its place.
    const d = buildJob({ status: 'active' });
    await emit(page, { seq: 11, type: 'job.failed', jobId: d.id, job: { ...d, status: 'failed' }, at: '' });
    await row(page, d.id).waitFor();
    const order = await page
      .locator('fd-jobs-table tbody tr')
      .evaluateAll((rows) => rows.map((tr) => tr.getAttribute('data-job-id')));
    expect(order).toEqual([d.id, a.id, c.id]);
    expect(fixture.problems).toEqual([]);
  });

  it('says what it looked for when nothing matches, and clears the filters', async () => {
    const job = buildJob();
    const page = await open('/w/acme?status=failed&type=demo.sleep', {
      'GET /v1/views': list([]),
      'GET /v1/members': { status: 200, body: { items: [] } },
      'GET /v1/jobs?status=failed&type=demo.sleep&limit=50': list([]),
      'GET /v1/jobs?limit=50': list([job]),
    });
    await page.getByText('No failed demo.sleep jobs').waitFor();
    await page.locator('fd-jobs-table').getByRole('button', { name: 'Clear filters' }).click();
    await row(page, job.id).waitFor();
    expect(new URL(page.url()).search).toBe('');
  });

  it('says when the jobs could not be loaded, and tries again', async () => {
    const job = buildJob();
    const page = await open('/w/acme', {
      'GET /v1/views': list([]),
      'GET /v1/members': { status: 200, body: { items: [] } },
      'GET /v1/jobs?limit=50': [
        { status: 503, body: { error: { code: 'service_unavailable', message: 'the database is away' } } },
        list([job]),
      ],
    });
    await page.getByRole('alert').getByText('The database is away.').waitFor();
    await page.getByRole('button', { name: 'Try again' }).click();
    await row(page, job.id).waitFor();
  });

  it('drops rows that leave the view from the selection', async () => {
    const [a, b] = [buildJob({ status: 'failed' }), buildJob({ status: 'failed' })];
    const page = await open('/w/acme?status=failed', {
      'GET /v1/views': list([]),
      'GET /v1/members': { status: 200, body: { items: [] } },
      'GET /v1/jobs?status=failed&limit=50': list([b, a]),
    });
    await page.getByRole('checkbox', { name: 'Select all 2 jobs shown' }).check();
    await page.getByRole('group', { name: 'Bulk actions' }).getByText('2 selected').waitFor();
    await emit(page, { seq: 3, type: 'job.queued', jobId: a.id, job: { ...a, status: 'queued' }, at: '' });
    await page.getByRole('group', { name: 'Bulk actions' }).getByText('1 selected').waitFor();
    // Nobody acted (the job went back on its own): no toast.
    await expect(page.evaluate(() => (window as unknown as Window).toasts)).resolves.toEqual([]);
  });
});
