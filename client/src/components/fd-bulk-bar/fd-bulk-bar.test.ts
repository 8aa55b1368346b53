import type { Job } from '@flightdeck/contract';
import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import type { FakeServer } from '../../../test/support/fake-server';
import { fixturePages } from '../../../test/support/fixture-pages';
import { buildJob } from '../../../test/support/job-factory';

let fixture: Fixture;

// The bulk bar over a scripted API, with fd-toasts showing what it asks for (as fd-app does).
// `window.select(jobs)` sets the selection; `window.statuses` says the jobs' states now (for Undo);
// `window.events` records fd-bulk-done and fd-selection-change.
const FIXTURE_SCRIPT = `
  import './components/fd-bulk-bar/fd-bulk-bar.component';
  import './components/fd-toasts/fd-toasts.component';
  import { ApiClient } from './api/api-client';
  import { fakeServer } from '../test/support/fake-server';

  const page = window as unknown as Record<string, unknown>;
  const server = fakeServer();
  page.server = server;
  page.events = [];
  page.statuses = {};
  const bar = document.createElement('fd-bulk-bar');
  bar.api = new ApiClient({ workspace: 'acme', fetch: server.fetch });
  bar.statusOf = (id: string) => (page.statuses as Record<string, never>)[id];
  const toasts = document.createElement('fd-toasts');
  document.body.append(bar, toasts);
  document.addEventListener('fd-toast', (event) => toasts.show(event.detail));
  document.addEventListener('fd-bulk-done', (event) => (page.events as unknown[]).push({ type: event.type, ...event.detail }));
  document.addEventListener('fd-selection-change', (event) => (page.events as unknown[]).push({ type: event.type, ids: [...event.detail.ids] }));
  page.select = async (jobs: never[]) => {
    bar.jobs = jobs;
    await bar.updateComplete;
  };
`;

const pages = fixturePages(FIXTURE_SCRIPT);

type Window = {
  server: FakeServer;
  select: (jobs: Job[]) => Promise<void>;
  events: unknown[];
  statuses: Record<string, string>;
};

async function open(jobs: Job[], answers: FakeServer['answers'] = {}): Promise<Page> {
  fixture = await pages.open();
  await fixture.page.evaluate(
    async ({ jobs, answers }) => {
      const page = window as unknown as Window;
      page.server.answers = answers;
      await page.select(jobs);
    },
    { jobs, answers },
  );
  return fixture.page;
}

const requests = () =>
  fixture.page.evaluate(() =>
    (window as unknown as Window).server.requests.map(({ method, path, body }) => ({ method, path, body })),
  );
const events = () => fixture.page.evaluate(() => (window as unknown as Window).events);
const bar = (page: Page) => page.getByRole('group', { name: 'Bulk actions' });
const toasts = (page: Page) => page.getByRole('list', { name: 'Notifications' });

const [failedA, failedB, active] = [
  buildJob({ status: 'failed', id: '01JOB0000000000000000FAILA' }),
  buildJob({ status: 'failed', id: '01JOB0000000000000000FAILB' }),
  buildJob({ status: 'active', id: '01JOB0000000000000000ACTIV' }),
];

describe('fd-bulk-bar', () => {
  it('keeps its place with nothing selected, and says how many are', async () => {
    const page = await open([]);
    await bar(page).getByText('Select jobs to retry or cancel several at once.').waitFor();
    const empty = (await page.locator('fd-bulk-bar').boundingBox())!.height;
    await page.evaluate(async (jobs) => (window as unknown as Window).select(jobs), [failedA, active]);
    await bar(page).getByText('2 selected').waitFor();
    expect((await page.locator('fd-bulk-bar').boundingBox())!.height).toBe(empty);
    await expect(bar(page).getByRole('button', { name: 'Retry selected jobs' }).isEnabled()).resolves.toBe(true);
  });

  it('confirms a retry naming what does not apply, sends every selected job, sums up, and undoes', async () => {
    const retried = (job: Job) => ({ id: job.id, ok: true, job: { ...job, status: 'queued' } });
    const page = await open([failedA, failedB, active], {
      'POST /v1/jobs/bulk': [
        {
          status: 200,
          body: {
            results: [
              retried(failedA),
              retried(failedB),
              {
                id: active.id,
                ok: false,
                error: { code: 'job_not_retryable', message: 'a active job cannot be retried' },
              },
            ],
          },
        },
        { status: 200, body: { results: [{ id: failedA.id, ok: true, job: { ...failedA, status: 'cancelled' } }] } },
      ],
    });
    await bar(page).getByText('3 selected').waitFor();
    await bar(page).getByRole('button', { name: 'Retry selected jobs' }).click();

    const dialog = page.getByRole('dialog', { name: 'Retry 2 jobs?' });
    await dialog
      .getByText('1 selected job is left as it is (1 active): only failed or cancelled jobs can be retried.')
      .waitFor();
    await dialog.getByRole('button', { name: 'Retry 2 jobs' }).click();

    const summary = toasts(page).getByRole('listitem').filter({ hasText: '2 retried, 1 not retryable.' });
    await summary.waitFor();
    await expect(requests()).resolves.toEqual([
      { method: 'POST', path: '/v1/jobs/bulk', body: { action: 'retry', ids: [failedA.id, failedB.id, active.id] } },
    ]);
    await expect(events()).resolves.toEqual([
      expect.objectContaining({ type: 'fd-bulk-done', action: 'retry', results: expect.any(Array) }),
    ]);

    // B started in the meantime: undo cancels only A, which is still waiting.
    await page.evaluate(
      () =>
        ((window as unknown as Window).statuses = {
          '01JOB0000000000000000FAILA': 'queued',
          '01JOB0000000000000000FAILB': 'active',
        }),
    );
    await summary.getByRole('button', { name: 'Undo' }).click();
    await toasts(page).getByText('Undone: 1 cancelled, 1 already started.').waitFor();
    await expect(requests()).resolves.toContainEqual({
      method: 'POST',
      path: '/v1/jobs/bulk',
      body: { action: 'cancel', ids: [failedA.id] },
    });
    expect(fixture.problems).toEqual([]);
  });

  it('does nothing when the confirmation is declined, and Clear empties the selection', async () => {
    const page = await open([active]);
    await expect(bar(page).getByRole('button', { name: 'Retry selected jobs' }).isDisabled()).resolves.toBe(true);
    await bar(page).getByRole('button', { name: 'Cancel selected jobs' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel 1 job?' });
    await dialog.getByText('Queued and delayed jobs will not run; running ones are told to stop.').waitFor();
    await dialog.getByRole('button', { name: 'Keep them' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(requests()).resolves.toEqual([]);

    await bar(page).getByRole('button', { name: 'Clear selection' }).click();
    await expect(events()).resolves.toEqual([{ type: 'fd-selection-change', ids: [] }]);
  });

  it('says so when the server refuses', async () => {
    const page = await open([failedA], {
      'POST /v1/jobs/bulk': {
        status: 403,
        body: { error: { code: 'forbidden', message: 'viewers cannot retry jobs' } },
      },
    });
    await bar(page).getByRole('button', { name: 'Retry selected jobs' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retry 1 job' }).click();
    await toasts(page).getByText('Nothing was retried: Viewers cannot retry jobs.').waitFor();
  });
});
