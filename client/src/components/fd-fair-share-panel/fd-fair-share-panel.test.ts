import type { FairShare, WorkspaceShare } from '@flightdeck/contract';
import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import type { FakeAnswer, FakeServer } from '../../../test/support/fake-server';
import { fixturePages, setUpPage } from '../../../test/support/fixture-pages';

let fixture: Fixture;

// The panel over a scripted API (the console's ApiClient with a fake fetch), acting in workspace
// "acme"; the test scripts the answers, then calls `window.setUp()`.
const FIXTURE_SCRIPT = `
  import './components/fd-fair-share-panel/fd-fair-share-panel.component';
  import { fairShareApiOf } from './api/fair-share-api';
  import { appendOnSetUp, scriptedApi } from '../test/support/scripted-page';

  appendOnSetUp('fd-fair-share-panel', {}, { api: fairShareApiOf(scriptedApi('acme').api) });
`;

const T0 = Date.UTC(2026, 11, 7, 18, 0, 0);
const ANN = 'ws-ann';
const BOB = 'ws-bob';

function line(overrides: Partial<WorkspaceShare> & Pick<WorkspaceShare, 'workspaceId' | 'name'>): WorkspaceShare {
  return {
    slug: overrides.name.toLowerCase().replace(/[^a-z]+/g, '-'),
    pending: 0,
    running: 0,
    startedLastMinute: 0,
    share: null,
    limits: { maxRunning: null, maxPending: null, weight: null },
    effective: { maxRunning: null, maxPending: 1_000_000, weight: 1 },
    ...overrides,
  };
}

function reading(operator: boolean, workspaces: WorkspaceShare[], at = T0): FairShare {
  return {
    operator,
    defaults: { maxRunning: null, maxPending: 1_000_000, weight: 1 },
    windowSeconds: 60,
    workspaces,
    at: new Date(at).toISOString(),
  };
}

/** Ann floods (limited, weight 3), Bob trickles. */
const annFlooding = (pending: number) =>
  line({
    workspaceId: ANN,
    name: 'Ann',
    pending,
    running: 5,
    startedLastMinute: 300,
    share: 0.75,
    limits: { maxRunning: 5, maxPending: null, weight: 3 },
    effective: { maxRunning: 5, maxPending: 1_000_000, weight: 3 },
  });
const bobTrickling = line({
  workspaceId: BOB,
  name: 'Bob',
  pending: 2,
  running: 2,
  startedLastMinute: 100,
  share: 0.25,
});

const pages = fixturePages(FIXTURE_SCRIPT);

async function open(answers: FakeServer['answers']): Promise<Page> {
  fixture = await pages.open();
  const { page } = fixture;
  await page.clock.install({ time: T0 });
  await setUpPage(page, answers);
  return page;
}

const ok = (body: unknown): FakeAnswer => ({ status: 200, body });
const requests = () => fixture.page.evaluate(() => (window as unknown as { server: FakeServer }).server.requests);
const puts = async () => (await requests()).filter((request) => request.method === 'PUT');
const cells = (page: Page, workspaceId: string) =>
  page
    .locator(`tr[data-workspace="${workspaceId}"] > *`)
    .evaluateAll((nodes) => nodes.map((node) => (node.textContent ?? '').replace(/\s+/g, ' ').trim()));

describe('fd-fair-share-panel', () => {
  it('shows an operator every workspace: waiting, running, limits set or default, share of workers — live', async () => {
    const page = await open({
      'GET /v1/fair-share': [
        ok(reading(true, [annFlooding(9_000), bobTrickling])),
        ok(reading(true, [annFlooding(8_500), bobTrickling], T0 + 2_000)),
      ],
    });
    await page.getByRole('heading', { name: 'Fair share' }).waitFor();
    await expect(page.getByRole('columnheader').allTextContents()).resolves.toEqual([
      'Workspace',
      'Waiting',
      'Running',
      'Running limit',
      'Waiting limit',
      'Weight',
      'Share of workers',
      'Actions',
    ]);
    await expect(cells(page, ANN)).resolves.toEqual([
      'Ann ann',
      'Waiting: 9,000',
      'Running: 5',
      'Running limit: 5',
      'Waiting limit: 1,000,000 (default)',
      'Weight: 3',
      'Share of workers: 75 %',
      'Edit limits',
    ]);
    await expect(cells(page, BOB)).resolves.toEqual([
      'Bob bob',
      'Waiting: 2',
      'Running: 2',
      'Running limit: No limit (default)',
      'Waiting limit: 1,000,000 (default)',
      'Weight: 1 (default)',
      'Share of workers: 25 %',
      'Edit limits',
    ]);
    // The next reading, a poll later.
    await page.clock.runFor(2_000);
    await page.locator(`tr[data-workspace="${ANN}"]`).getByText('8,500').waitFor();
    expect((await requests()).filter((request) => request.path === '/v1/fair-share').length).toBeGreaterThanOrEqual(2);
    expect((await requests())[0]!.headers['x-workspace']).toBe('acme');
    expect(fixture.problems).toEqual([]);
  });

  it("lets an operator edit a workspace's limits: checks the fields first, then saves and says so", async () => {
    const page = await open({
      'GET /v1/fair-share': ok(reading(true, [annFlooding(9_000), bobTrickling])),
      [`PUT /v1/workspaces/${BOB}/limits`]: ok({
        workspaceId: BOB,
        limits: { maxRunning: 4, maxPending: null, weight: 2 },
        effective: { maxRunning: 4, maxPending: 1_000_000, weight: 2 },
      }),
    });
    // Time stands still from here: no reading (each says the limits as they were) comes between the
    // save and the check that the row shows what the server answered, however slow the machine.
    await page.clock.pauseAt(T0 + 60_000);
    await page.getByRole('button', { name: 'Edit limits of Bob' }).click();
    const form = page.getByRole('form', { name: 'Limits of Bob' });
    const running = form.getByLabel('Running at once');
    const weight = form.getByLabel('Weight');
    // Focus goes to the first field; empty fields say which default they keep.
    await expect(
      running.evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement),
    ).resolves.toBe(true);
    await expect(running.getAttribute('placeholder')).resolves.toBe('Default: No limit');
    await expect(form.getByLabel('Waiting').getAttribute('placeholder')).resolves.toBe('Default: 1,000,000');

    await running.fill('0');
    await weight.fill('101');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await form.getByText('Enter a whole number from 1 to 1,000,000,000, or leave it empty for the default.').waitFor();
    await form.getByText('Enter a whole number from 1 to 100, or leave it empty for the default.').waitFor();
    await expect(running.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await puts()).toEqual([]);

    await running.fill('4');
    await weight.fill('2');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await page.getByRole('status').getByText('Saved the limits of Bob.').waitFor();
    await form.waitFor({ state: 'detached' });
    expect(await puts()).toMatchObject([
      { path: `/v1/workspaces/${BOB}/limits`, body: { maxRunning: 4, maxPending: null, weight: 2 } },
    ]);
    await expect(cells(page, BOB)).resolves.toEqual(
      expect.arrayContaining(['Running limit: 4', 'Weight: 2', 'Waiting limit: 1,000,000 (default)']),
    );
  });

  it("shows the server's refusal: next to the field it names, or for the whole form", async () => {
    const page = await open({
      'GET /v1/fair-share': ok(reading(true, [annFlooding(9_000)])),
      [`PUT /v1/workspaces/${ANN}/limits`]: [
        {
          status: 422,
          body: {
            error: {
              code: 'validation_failed',
              message: 'invalid request: weight: too big',
              issues: [{ path: 'weight', message: 'Too big: expected number to be <=100' }],
            },
          },
        },
        {
          status: 403,
          body: { error: { code: 'forbidden', message: 'only the operator workspace may set limits' } },
        },
      ],
    });
    await page.getByRole('button', { name: 'Edit limits of Ann' }).click();
    const form = page.getByRole('form', { name: 'Limits of Ann' });
    await expect(form.getByLabel('Running at once').inputValue()).resolves.toBe('5');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await form.getByText('Too big: expected number to be <=100.').waitFor();
    await expect(form.getByLabel('Weight').getAttribute('aria-invalid')).resolves.toBe('true');

    await form.getByRole('button', { name: 'Save limits' }).click();
    await form
      .getByRole('alert')
      .getByText('The limits of Ann were not saved: Only the operator workspace may set limits.')
      .waitFor();
    // Cancel closes the form and keeps the limits shown.
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });
    await expect(cells(page, ANN)).resolves.toContain('Running limit: 5');
  });

  it("shows anyone else their own workspace's line, without an edit button", async () => {
    const page = await open({ 'GET /v1/fair-share': ok(reading(false, [bobTrickling])) });
    await page.locator(`tr[data-workspace="${BOB}"]`).waitFor();
    await page.getByText(/operators set its limits\.$/).waitFor();
    await expect(page.getByRole('button').count()).resolves.toBe(0);
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
  });

  it('says when a reading failed and tries again; shows nothing on a server without fair share', async () => {
    const page = await open({
      'GET /v1/fair-share': [
        { status: 503, body: { error: { code: 'service_unavailable', message: 'redis is away' } } },
        ok(reading(false, [bobTrickling])),
      ],
    });
    await page.getByRole('alert').getByText('The fair share could not be read: Redis is away. Trying again…').waitFor();
    await page.clock.runFor(2_000);
    await page.locator(`tr[data-workspace="${BOB}"]`).waitFor();
    await expect(page.getByRole('alert').count()).resolves.toBe(0);

    await fixture.context.close();
    const older = await open({});
    // It asked, heard 404 route_not_found, and went quiet.
    await older.waitForFunction(
      () =>
        (window as unknown as { server: FakeServer }).server.requests.some(
          (request) => request.path === '/v1/fair-share',
        ) && document.querySelector('fd-fair-share-panel')?.shadowRoot?.textContent?.trim() === '',
    );
    await expect(older.getByRole('alert').count()).resolves.toBe(0);
  });
});
