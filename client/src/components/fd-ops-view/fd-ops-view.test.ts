import type { Page } from 'playwright-core';
import type { Fixture } from '../../../test/support/browser';
import type { FakeAnswer, FakeServer } from '../../../test/support/fake-server';
import { fixturePages, setUpPage } from '../../../test/support/fixture-pages';
import { buildOps, kubernetesAutoscaling } from '../../../test/support/ops-factory';

let fixture: Fixture;

// The ops view of workspace "acme" over a scripted API and a scripted event stream: the test says
// who is looking (`window.setUp({ access })`) after scripting the answers, and emits events with
// `window.emit(event)`.
const FIXTURE_SCRIPT = `
  import './components/fd-ops-view/fd-ops-view.component';
  import { fakeStream } from '../test/support/fake-stream';
  import { appendOnSetUp, scriptedApi } from '../test/support/scripted-page';

  const page = window as unknown as Record<string, unknown>;
  const stream = fakeStream({ connection: 'live' });
  page.emit = stream.emit;
  // Toasts the view asks for (fd-app shows them in the console).
  const toasts: unknown[] = [];
  page.toasts = toasts;
  document.addEventListener('fd-toast', (event) => toasts.push((event as CustomEvent).detail));
  appendOnSetUp('fd-ops-view', { 'workspace-name': 'Acme' }, { events: stream, api: scriptedApi('acme').api });
`;

/** The fake clock's start: readings and events are timed from it. */
const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

/** Readings every 2 s: the backlog grows, then drains; two gateways; replicas follow the backlog. */
const READINGS = Array.from({ length: 8 }, (_, index) =>
  buildOps({
    at: iso(T0 + index * 2_000),
    queues: [
      { name: 'demo', queued: [2, 6, 12, 9, 6, 4, 2, 1][index], delayed: 1, active: 3, failed: 2 },
      { name: 'http', queued: 1, active: index % 2 },
    ],
    gateways: [
      { id: 'gw-a:1', connections: 3 },
      { id: 'gw-b:1', connections: 2 },
    ],
    running: 2,
    desired: 3,
  }),
);
const readings = (list = READINGS): FakeAnswer[] => list.map((body) => ({ status: 200, body }));

const pages = fixturePages(FIXTURE_SCRIPT);

type Access = { kind: 'member'; role: string } | { kind: 'api-key'; scopes: string[] };

/**
 * The view over the fake clock at T0. `paused`: time moves only by `page.clock.runFor`, so figures
 * over "the time the view has been listening" do not depend on how busy the machine is.
 */
async function open(access: Access, answers: FakeServer['answers'] = {}, { paused = false } = {}): Promise<Page> {
  fixture = await pages.open();
  const { page } = fixture;
  if (paused) {
    await page.clock.install({ time: T0 - 60_000 });
    await page.clock.pauseAt(T0);
  } else {
    await page.clock.install({ time: T0 });
  }
  await setUpPage(page, { 'GET /v1/ops': readings(), ...answers }, { access });
  return page;
}

const chart = (page: Page, heading: string) =>
  page.locator('fd-ops-chart', { has: page.getByRole('heading', { name: heading, exact: true }) });
const requests = () => fixture.page.evaluate(() => (window as unknown as { server: FakeServer }).server.requests);
const toasts = () => fixture.page.evaluate(() => (window as unknown as { toasts: unknown[] }).toasts);
const emit = (page: Page, event: unknown) =>
  page.evaluate((event) => (window as unknown as { emit: (event: unknown) => void }).emit(event), event);

function jobEvent(seq: number, type: string, at: number, job: Record<string, unknown>) {
  return { seq, type, jobId: job.id, job: { type: 'demo.sleep', attemptsMade: 0, ...job }, at: iso(at) };
}

describe('fd-ops-view', () => {
  it('draws the charts from /v1/ops readings and live events, each with a heading and its figures in words', async () => {
    const page = await open({ kind: 'member', role: 'viewer' }, {}, { paused: true });
    await page.getByRole('heading', { name: 'Operations' }).waitFor();
    // One reading is not a line yet.
    await chart(page, 'Queue depth').getByText('No data yet').first().waitFor();

    // Jobs of the workspace start and finish while the view is open.
    for (let index = 0; index < 4; index++) {
      const id = `job-${index}`;
      const createdAt = T0 + 5_000 + index * 500;
      await emit(
        page,
        jobEvent(index * 2 + 1, 'job.active', createdAt + 200 * (index + 1), {
          id,
          status: 'active',
          createdAt: iso(createdAt),
          startedAt: iso(createdAt + 200 * (index + 1)),
        }),
      );
      const type = index === 3 ? 'job.failed' : 'job.completed';
      await emit(
        page,
        jobEvent(index * 2 + 2, type, createdAt + 1_000, {
          id,
          status: index === 3 ? 'failed' : 'completed',
          finishedAt: iso(createdAt + 1_000),
        }),
      );
    }
    for (let poll = 1; poll < READINGS.length; poll++) await page.clock.runFor(2_000);

    const depth = chart(page, 'Queue depth');
    await depth.getByText('Now 2 queued, 1 delayed, 4 active.').waitFor();
    await depth.locator('canvas').first().waitFor();
    await expect(depth.getByRole('img').getAttribute('aria-label')).resolves.toBe(
      'Queue depth, last 10 minutes: Now 2 queued, 1 delayed, 4 active.',
    );
    // The legend names each line and its latest value; lines differ by dash, not only by colour.
    await expect(depth.locator('.legend__item').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/Queued\s+2/),
      expect.stringMatching(/Delayed\s+1/),
      expect.stringMatching(/Active\s+4/),
    ]);
    await expect(
      depth
        .locator('.legend__swatch line')
        .evaluateAll((lines) => lines.map((line) => line.getAttribute('stroke-dasharray'))),
    ).resolves.toEqual(['none', '6 4', '2 3']);

    await chart(page, 'Throughput').getByText('0.3 jobs completed per second over the last 10 seconds.').waitFor();
    await chart(page, 'Failures').getByText('4.3 failures per minute; 25 % of the jobs that finished.').waitFor();
    await chart(page, 'Latency, submit to start')
      .getByText('Over the last minute: half the jobs started within 500 ms, 95 % within 770 ms.')
      .waitFor();
    await chart(page, 'Gateway connections').getByText('5 open connections on 2 gateways.').waitFor();
    await chart(page, 'Worker replicas')
      .getByText('The scaling policy asks for 3 worker replicas; 2 running (1 short).')
      .waitFor();
    for (const heading of [
      'Throughput',
      'Failures',
      'Latency, submit to start',
      'Gateway connections',
      'Worker replicas',
    ])
      await chart(page, heading).locator('canvas').first().waitFor();

    // Every reading asked the API for /v1/ops, as the workspace.
    const polls = (await requests()).filter((request) => request.path === '/v1/ops');
    expect(polls).toHaveLength(READINGS.length);
    expect(polls[0]!.headers['x-workspace']).toBe('acme');
    expect(fixture.problems).toEqual([]);
  });

  it('lists the queues, and shows viewers no pause, resume or drain buttons', async () => {
    const page = await open({ kind: 'member', role: 'viewer' });
    const demo = page.locator('tr[data-queue="demo"]');
    await demo.waitFor();
    await expect(demo.getByRole('rowheader').textContent()).resolves.toBe('demo');
    await expect(demo.textContent()).resolves.toContain('Running');
    await expect(page.getByRole('table').getByRole('columnheader').allTextContents()).resolves.toEqual([
      'Queue',
      'State',
      'Queued',
      'Delayed',
      'Active',
      'Completed',
      'Failed',
      'Replicas',
    ]);
    await expect(page.getByRole('button', { name: /^(Pause|Resume|Drain)/ }).count()).resolves.toBe(0);
    await page.getByText('Only admins and owners can pause, resume and drain queues.').waitFor();

    await fixture.context.close();
    const keyPage = await open({ kind: 'api-key', scopes: ['jobs:read', 'queues:read'] });
    await keyPage.locator('tr[data-queue="demo"]').waitFor();
    await expect(keyPage.getByRole('button', { name: /^(Pause|Resume|Drain)/ }).count()).resolves.toBe(0);
  });

  it("shows admins of an ordinary workspace that the shared queues are the operators' to pause and drain", async () => {
    const page = await open(
      { kind: 'member', role: 'owner' },
      { 'GET /v1/ops': readings(READINGS.map((reading) => ({ ...reading, operator: false }))) },
    );
    await page.locator('tr[data-queue="demo"]').waitFor();
    await page
      .getByText(
        'Queues are shared by every workspace of this deployment: admins of the operator workspace (default) pause, resume and drain them.',
      )
      .waitFor();
    await expect(page.getByRole('button', { name: /^(Pause|Resume|Drain)/ }).count()).resolves.toBe(0);
  });

  it('lets admins pause a queue after a confirmation, and resume it', async () => {
    const paused = { ...READINGS[0]!.queues[0]!, paused: true };
    const page = await open(
      { kind: 'member', role: 'admin' },
      {
        'POST /v1/queues/demo/pause': { status: 200, body: paused },
        'POST /v1/queues/demo/resume': { status: 200, body: { ...paused, paused: false } },
      },
    );
    const pause = page.getByRole('button', { name: 'Pause queue demo' });
    await pause.click();
    const dialog = page.getByRole('dialog', { name: 'Pause queue demo?' });
    await dialog.getByText('for every workspace of this deployment', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await requests()).filter((request) => request.method === 'POST')).toEqual([]);

    await pause.click();
    await dialog.getByRole('button', { name: 'Pause queue' }).click();
    await page.getByRole('status').getByText('Paused queue demo.').waitFor();
    const demo = page.locator('tr[data-queue="demo"]');
    await expect(demo.textContent()).resolves.toContain('Paused');
    await page.getByRole('button', { name: 'Resume queue demo' }).click();
    await page.getByRole('status').getByText('Resumed queue demo.').waitFor();
    await expect(demo.textContent()).resolves.toContain('Running');
    expect((await requests()).filter((request) => request.method === 'POST')).toMatchObject([
      { path: '/v1/queues/demo/pause', headers: { 'x-workspace': 'acme' } },
      { path: '/v1/queues/demo/resume' },
    ]);
    expect(fixture.problems).toEqual([]);
  });

  it('lets admins drain a queue after a confirmation that says what it holds, with delayed jobs or without, and toasts the count', async () => {
    const demo = READINGS[0]!.queues[0]!;
    const after = (queued: number, delayed: number) => ({ ...demo, counts: { ...demo.counts, queued, delayed } });
    const page = await open(
      { kind: 'member', role: 'admin' },
      {
        'POST /v1/queues/demo/drain': [
          { status: 200, body: { queue: after(0, 1), drained: 2, skipped: 0 } },
          { status: 200, body: { queue: after(0, 0), drained: 1, skipped: 1 } },
          { status: 503, body: { error: { code: 'service_unavailable', message: 'redis is away' } } },
        ],
      },
    );
    const drain = page.getByRole('button', { name: 'Drain queue demo' });
    await expect(drain.textContent()).resolves.toMatch(/^\s*Drain…\s*$/);
    await drain.click();
    const dialog = page.getByRole('dialog', { name: 'Drain queue demo?' });
    await dialog.getByText('“demo” holds 2 queued jobs and 1 delayed one.', { exact: false }).waitFor();
    await dialog.getByText('for every workspace of this deployment', { exact: false }).waitFor();
    const delayed = dialog.getByRole('checkbox', { name: 'Also cancel delayed jobs (1 now)' });
    await expect(delayed.isChecked()).resolves.toBe(true);
    await expect(delayed.getAttribute('aria-describedby')).resolves.toBe('confirm-option-hint');
    await dialog.getByRole('button', { name: 'Keep jobs' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await requests()).filter((request) => request.method === 'POST')).toEqual([]);

    // From the keyboard: focus starts on "Keep jobs"; the option is just before it.
    await drain.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    await expect(delayed.isChecked()).resolves.toBe(false);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => (window as unknown as { toasts: unknown[] }).toasts.length === 1);
    await expect(toasts()).resolves.toEqual([{ message: 'Drained queue demo: 2 jobs cancelled.', tone: 'success' }]);
    const row = page.locator('tr[data-queue="demo"]');
    await expect(row.locator('td.number').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['Queued: 0', 'Delayed: 1']),
    );

    // The option is checked again on the next drain, whatever it was left at.
    await drain.click();
    await expect(delayed.isChecked()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Drain queue' }).click();
    await page.waitForFunction(() => (window as unknown as { toasts: unknown[] }).toasts.length === 2);
    await expect(toasts()).resolves.toContainEqual({
      message:
        'Drained queue demo: 1 job cancelled. 1 job left: started or ended meanwhile, or the next run of a schedule.',
      tone: 'success',
    });
    expect((await requests()).filter((request) => request.method === 'POST')).toMatchObject([
      { path: '/v1/queues/demo/drain', body: { delayed: false }, headers: { 'x-workspace': 'acme' } },
      { path: '/v1/queues/demo/drain', body: { delayed: true } },
    ]);

    // A drain cut short says that what it cancelled stays cancelled.
    await drain.click();
    await dialog.getByRole('button', { name: 'Drain queue' }).click();
    await page
      .getByRole('alert')
      .getByText(
        'Queue demo was not drained: Redis is away. Jobs it cancelled before that stay cancelled; drain again to finish.',
      )
      .waitFor();
    await expect(toasts()).resolves.toHaveLength(2);
    expect(fixture.problems).toEqual([]);
  });

  it('says when there is no data yet, and keeps reading after a failed reading', async () => {
    const quiet = [0, 1].map((index) => buildOps({ at: iso(T0 + (index + 1) * 2_000), running: 0 }));
    const page = await open(
      { kind: 'member', role: 'viewer' },
      {
        'GET /v1/ops': [
          { status: 503, body: { error: { code: 'service_unavailable', message: 'redis is away' } } },
          ...readings(quiet),
        ],
      },
    );
    await page
      .getByRole('alert')
      .getByText('The ops figures could not be read: Redis is away. Trying again…')
      .waitFor();
    await page.getByText('No data yet.').waitFor();
    await page.clock.runFor(2_000);
    await page.clock.runFor(2_000);
    await chart(page, 'Gateway connections').getByText('No gateway is running.').waitFor();
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    // No gateway, no started job: nothing to draw.
    await chart(page, 'Gateway connections').locator('.chart__empty').waitFor();
    await chart(page, 'Latency, submit to start').getByText('No job started in the last minute.').waitFor();
    await chart(page, 'Latency, submit to start').locator('.chart__empty').waitFor();
    await chart(page, 'Queue depth').locator('canvas').first().waitFor();
  });

  it("inside Kubernetes shows the autoscaler's decisions: the source, desired vs ready per Deployment, KEDA's state and events", async () => {
    const inCluster = [0, 1].map((index) =>
      buildOps({
        at: iso(T0 + index * 2_000),
        queues: [{ name: 'demo', queued: 180 }],
        running: 2,
        desired: 4,
        autoscaling: kubernetesAutoscaling(T0 + index * 2_000),
      }),
    );
    const page = await open({ kind: 'member', role: 'viewer' }, { 'GET /v1/ops': readings(inCluster) });
    const autoscaling = page.getByRole('region', { name: 'Autoscaling' });
    await autoscaling.getByText('Source: Kubernetes (KEDA/HPA)').waitFor();
    await chart(page, 'Worker replicas')
      .getByText('The autoscaler (KEDA/HPA) asks for 4 worker replicas; 2 ready (2 short).')
      .waitFor();
    const worker = autoscaling.getByRole('article', { name: /^flightdeck-worker Deployment/ });
    await worker.getByText('4 desired, 2 ready (2 short).').waitFor();
    await worker.getByText(/^KEDAScaleTargetActivated$/).waitFor();
    // Headings lead there: the section's, then one per ScaledObject.
    await expect(page.getByRole('heading', { level: 4 }).count()).resolves.toBe(2);
    expect(fixture.problems).toEqual([]);
  });
});
